package network

import "testing"

// FuzzIntelligenceCSV: any file is read or refused without a panic, and
// every row parses to an item or to row errors.
func FuzzIntelligenceCSV(f *testing.F) {
	f.Add([]byte("标题,日期,来源,摘要,地区,涉及企业,产业链环节\n比亚迪扩产,2025-04-02,南方日报,,深圳,比亚迪,汽车零部件\n"))
	f.Add([]byte("title,published_on\n\"unterminated,2025-01-01\n"))
	f.Add([]byte("\xef\xbb\xbf标题,日期\n,2025/13/40\n"))
	regions := map[string]string{"shenzhen": "shenzhen", "深圳": "shenzhen"}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := readCSV(data)
		if err != nil || len(rows) == 0 {
			return
		}
		idx := map[string]int{}
		for i, h := range rows[0] {
			if field, ok := importColumns[h]; ok {
				idx[field] = i
			}
		}
		for n, rec := range rows[1:] {
			in, errs := parseRow(rec, idx, regions, n+2)
			if len(errs) == 0 && (in.Title == "" || in.PublishedOn.IsZero()) {
				t.Fatalf("row %d accepted without title or date: %+v", n+2, in)
			}
		}
	})
}
