package campaign

import (
	"testing"

	"github.com/zhaoqing/attract/internal/platform/money"
)

func TestCostPerYi(t *testing.T) {
	if c := costPerYi(100_00, 50000_00); c == nil || *c != 20_00 {
		t.Errorf("100 万元 for 5 亿元: %v", c)
	}
	if c := costPerYi(90_00, 30000_00); c == nil || *c != 30_00 {
		t.Errorf("90 万元 for 3 亿元: %v", c)
	}
	if c := costPerYi(10_00, 0); c != nil {
		t.Errorf("nothing signed: %v", *c)
	}
	r := ReportRow{Funnel: Funnel{Leads: Stage{Count: 3}, Signed: Stage{Count: 1}, Landed: Stage{Count: 0}}}
	rates(&r)
	if r.SigningRate != money.Cents(33_33) || r.LandingRate != 0 {
		t.Errorf("rates: %v %v", r.SigningRate, r.LandingRate)
	}
}
