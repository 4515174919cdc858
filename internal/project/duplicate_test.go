package project

import "testing"

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
