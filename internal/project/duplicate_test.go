package project

import (
	"fmt"
	"testing"
)

func TestNormalisationAndSimilarity(t *testing.T) {
	if NormInvestor("比亚迪股份有限公司") != NormInvestor("比亚迪 股份有限公司 ") {
		t.Fatal("investor normalisation")
	}
	cases := []struct {
		a, b string
		dup  bool
	}{
		{"比亚迪新能源汽车零部件项目", "比亚迪新能源汽车零部件生产基地项目", true},
		{"宁德时代肇庆储能电池基地", "宁德时代（肇庆）储能电池基地项目", true},
		{"比亚迪新能源汽车零部件项目", "比亚迪研发中心", false},
	}
	for _, c := range cases {
		if got := similarity(NormName(c.a), NormName(c.b)) >= 0.6; got != c.dup {
			t.Errorf("%s ~ %s: %v (%.2f)", c.a, c.b, got, similarity(NormName(c.a), NormName(c.b)))
		}
	}
}

// TestInvestorPairs measures the investor match (NormInvestor equal) on
// real-world name pairs, labelled by legal identity: the same firm written
// another way, or a different firm with a similar name. It prints the
// precision and recall and holds them at the levels reached.
func TestInvestorPairs(t *testing.T) {
	pairs := []struct {
		a, b string
		same bool
	}{
		{"深圳市华鹏热管理科技有限公司", "深圳华鹏热管理科技有限公司", true},
		{"深圳市华鹏热管理科技有限公司", "华鹏热管理科技（深圳）有限公司", true},
		{"比亚迪股份有限公司", "比亚迪 股份有限公司", true},
		{"宁德时代新能源科技股份有限公司", "宁德时代新能源科技有限公司", true},
		{"广东兴发铝业有限公司", "兴发铝业（广东）有限公司", true},
		{"广东风华高新科技股份有限公司", "风华高新科技（广东）股份有限公司", true},
		{"丹佛斯（中国）投资有限公司", "丹佛斯投资有限公司", true},
		{"松下电器（中国）有限公司", "松下电器(中国)有限公司", true},
		{"ＡＢＣ智能科技有限公司", "ABC智能科技有限公司", true},
		{"广州小鹏汽车科技有限公司", "小鹏汽车科技（广州）有限公司", true},
		{"佛山市顺德区美的电器有限公司", "美的电器（佛山）有限公司", true},
		{"广东省肇庆市鼎湖区华美包装有限公司", "肇庆华美包装有限公司", true},
		{"北京京东世纪贸易有限公司", "京东世纪贸易（北京）有限公司", true},
		{"华为技术有限公司", "华为技术 有限公司", true},
		{"敏实集团有限公司", "敏实集团", true},
		{"中国中车股份有限公司", "中国中车股份有限公司\u3000", true},
		{"三一重工股份有限公司", "三一重工有限公司", true},
		{"广东肇庆星湖生物科技股份有限公司", "肇庆星湖生物科技有限公司", true},
		{"深圳市大疆创新科技有限公司", "大疆创新科技（深圳）有限公司", true},
		{"珠海格力电器股份有限公司", "格力电器（珠海）股份有限公司", true},
		{"TCL科技集团股份有限公司", "tcl科技集团股份有限公司", true},
		{"欣旺达电子股份有限公司", "欣旺达电子股份有限公司", true},
		{"广东省广新控股集团有限公司", "广新控股集团有限公司", true},
		{"肇庆市端州区鑫源五金制品有限公司", "鑫源五金制品（肇庆）有限公司", true},
		{"四会市富仕电子科技股份有限公司", "富仕电子科技（四会）股份有限公司", true},
		{"深圳华鹏热管理科技有限公司", "深圳华鹏热能科技有限公司", false},
		{"上海汽车集团股份有限公司", "北京汽车集团有限公司", false},
		{"比亚迪股份有限公司", "比亚迪汽车工业有限公司", false},
		{"美的集团股份有限公司", "美的置业集团有限公司", false},
		{"广州小鹏汽车科技有限公司", "广州小马智行科技有限公司", false},
		{"宁德时代新能源科技股份有限公司", "宁德新能源科技有限公司", false},
		{"中国建材股份有限公司", "中国建筑股份有限公司", false},
		{"珠海格力电器股份有限公司", "珠海格力地产股份有限公司", false},
		{"华为技术有限公司", "华为终端有限公司", false},
		{"肇庆华美包装有限公司", "肇庆华美印刷有限公司", false},
		{"立讯精密工业股份有限公司", "立讯精密工业（昆山）有限公司", false}, // a subsidiary: its own legal person
		{"广东兴发铝业有限公司", "广东兴发精密制造有限公司", false},
		{"福耀玻璃工业集团股份有限公司", "福耀汽车铝件有限公司", false},
		{"丹佛斯（中国）投资有限公司", "丹佛斯动力系统（中国）有限公司", false},
		{"松下电器（中国）有限公司", "松下电器机电（中国）有限公司", false},
		{"国轩高科股份有限公司", "国轩控股集团有限公司", false},
		{"深圳市大疆创新科技有限公司", "深圳市大疆百旺科技有限公司", false},
		{"三一重工股份有限公司", "三一重能股份有限公司", false},
		{"广东风华高新科技股份有限公司", "广东风华芯电科技股份有限公司", false},
		{"上海汽车集团股份有限公司", "广州汽车集团股份有限公司", false},
	}
	var tp, fp, fn int
	for _, p := range pairs {
		got := NormInvestor(p.a) == NormInvestor(p.b)
		switch {
		case got && p.same:
			tp++
		case got && !p.same:
			fp++
			t.Logf("false match: %s = %s (%s)", p.a, p.b, NormInvestor(p.a))
		case !got && p.same:
			fn++
			t.Logf("missed: %s (%s) ≠ %s (%s)", p.a, NormInvestor(p.a), p.b, NormInvestor(p.b))
		}
	}
	precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	fmt.Printf("investor match on %d name pairs: precision %.3f (%d/%d), recall %.3f (%d/%d)\n", len(pairs), precision, tp, tp+fp, recall, tp, tp+fn)
	if len(pairs) < 40 || precision < 0.95 || recall < 1 {
		t.Errorf("precision %.3f, recall %.3f on %d pairs", precision, recall, len(pairs))
	}
}
