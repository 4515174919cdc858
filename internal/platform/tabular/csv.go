package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// openCSV reads a CSV in UTF-8 (a byte-order mark dropped) or, when the
// file is not valid UTF-8 anywhere, GB18030 (which GBK is a part of). The
// whole file is checked first, in blocks (as reading a 200 MB file costs a
// tenth of a second and no memory), so that a file whose first Chinese
// character comes late is still read in the right encoding.
func openCSV(r io.ReaderAt, size int64) (*csvSource, error) {
	var bom [3]byte
	n, _ := r.ReadAt(bom[:], 0)
	start := int64(0)
	if n == 3 && bytes.Equal(bom[:], []byte("\xef\xbb\xbf")) {
		start = 3
	}
	body := io.NewSectionReader(r, start, size-start)
	isUTF8, err := validUTF8(body)
	if err != nil {
		return nil, errs.Wrap(err, "read upload")
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return nil, errs.Wrap(err, "read upload")
	}
	var in io.Reader = body
	if !isUTF8 {
		in = simplifiedchinese.GB18030.NewDecoder().Reader(body)
	}
	return newCSVSource(in), nil
}

// streamCSV reads a CSV that cannot be read twice, its encoding told from
// its first 64 kB.
func streamCSV(r io.Reader) *csvSource {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		head = head[3:]
	}
	// A rune cut off at the block's end does not make it GB18030.
	for i := 0; i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if !utf8.Valid(head) {
		return newCSVSource(simplifiedchinese.GB18030.NewDecoder().Reader(br))
	}
	return newCSVSource(br)
}

func newCSVSource(r io.Reader) *csvSource {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvSource{r: cr}
}

// validUTF8 says whether the whole of r is UTF-8, read in 1 MB blocks (a
// rune cut at a block's end is carried into the next).
func validUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, 1<<20)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		end := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !end {
			return false, err
		}
		block := buf[:n]
		carry = 0
		if !end {
			// Leave a rune cut off at the block's end for the next block.
			for i := 1; i <= utf8.UTFMax && i <= n; i++ {
				if utf8.RuneStart(block[n-i]) {
					if !utf8.FullRune(block[n-i:]) {
						carry = i
					}
					break
				}
			}
		}
		if !utf8.Valid(block[:n-carry]) {
			return false, nil
		}
		if end {
			return true, nil
		}
		copy(buf, block[n-carry:])
	}
}

type csvSource struct {
	r *csv.Reader
	n int
}

func (c *csvSource) Next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, errs.E(errs.Invalid, fmt.Sprintf("第 %d 行 CSV 格式有误：%v", c.n+1, err), fmt.Sprintf("row %d: malformed CSV: %v", c.n+1, err)).
			Field("file", "CSV 格式有误", "malformed CSV")
	}
	c.n++
	return rec, c.n, nil
}

func (c *csvSource) Rows() int    { return c.n }
func (c *csvSource) Close() error { return nil }
