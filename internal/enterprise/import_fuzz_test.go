package enterprise

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// readAll runs the import's reading and row checks (no database) over a file.
func readAll(t *testing.T, data []byte, name string) {
	src, err := openTable(bytes.NewReader(data), name)
	if err != nil {
		return
	}
	defer src.Close()
	header, _, err := src.Next()
	if err != nil {
		return
	}
	idx, headErrs := headerIndex(header)
	if len(headErrs) > 0 {
		return
	}
	res := ImportResult{}
	p := &parser{idx: idx, tags: map[string]string{"high_tech": "high_tech", "高新技术企业": "high_tech"}, city: "441200",
		today: "2026-02-10", res: &res}
	for i := 0; i < 10000; i++ {
		cells, row, err := src.Next()
		if errors.Is(err, io.EOF) || err != nil {
			return
		}
		r, ok := p.parse(row, cells)
		if !ok {
			continue
		}
		// A row taken is a row whose checks hold.
		if !uscc.Valid(r.CreditCode) || r.Name == "" || r.Capital < 0 {
			t.Fatalf("row %d accepted with %+v", row, r)
		}
		if _, known := industry.Lookup(r.Industry); r.Industry != "" && !known {
			t.Fatalf("row %d accepted with industry %q", row, r.Industry)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("统一社会信用代码,企业名称,行业代码,注册资本（万元）\n91440300192317458F,比亚迪股份有限公司,3612,291114.29\n"))
	f.Add([]byte("\xef\xbb\xbfcredit_code,name,tags,founded_on\n91350900587527783P,\"宁德,时代\",high_tech,2011/12/16\n"))
	f.Add([]byte("\xcd\xb3\xd2\xbb,\xc3\xfb\n1,2\n")) // GBK
	f.Fuzz(func(t *testing.T, data []byte) { readAll(t, data, "f.csv") })
}

func FuzzReadXLSX(f *testing.F) {
	var b bytes.Buffer
	if err := writeTemplate(&b); err == nil {
		f.Add(b.Bytes())
	}
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Fuzz(func(t *testing.T, data []byte) { readAll(t, data, "f.xlsx") })
}
