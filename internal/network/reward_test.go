package network

import (
	"testing"

	"github.com/zhaoqing/attract/internal/platform/money"
)

func TestRewardRule(t *testing.T) {
	r := RewardRule{Basis: "signed", ShareBP: 10, Cap: 30_00}
	for _, c := range []struct {
		amount, want money.Cents
		capped       bool
	}{
		{50000_00, 30_00, true},  // 0.1% of 5 亿元 is 50 万元, capped at 30
		{20000_00, 20_00, false}, // 0.1% of 2 亿元
		{12345_67, 12_34, false}, // rounded down to the hundredth
		{0, 0, false},
	} {
		got, capped := r.Reward(c.amount)
		if got != c.want || capped != c.capped {
			t.Errorf("reward of %v: %v (capped %v), want %v (%v)", c.amount, got, capped, c.want, c.capped)
		}
	}
	if got, _ := (RewardRule{ShareBP: 100}).Reward(1_000_000_00); got != 10_000_00 {
		t.Errorf("no cap: %v", got)
	}
}
