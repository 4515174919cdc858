package tabular

import (
	"archive/zip"
	"fmt"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Limits bound what reading one uploaded table may cost, whatever its size
// on the wire: a few hundred kilobytes of XLSX can unpack to gigabytes (a
// shared-strings bomb), and a small CSV can hold millions of rows whose
// errors alone would fill the memory. Every import reads through Open,
// which checks the upload against its Limits before and while reading.
type Limits struct {
	Uncompressed  int64 // all parts of an XLSX, unpacked
	SharedStrings int64 // the shared-strings part, unpacked (it is held in memory)
	Rows          int   // data rows
	Columns       int   // cells of one row
}

// Import limits of each table the application reads. The row bounds are
// well above the largest real file (a city's ledger is some thousands of
// rows; the enterprise library's full load a million); a bigger file is
// split.
var (
	LedgerLimits       = Limits{Uncompressed: 256 << 20, SharedStrings: 32 << 20, Rows: 100_000, Columns: 200}
	EnterpriseLimits   = Limits{Uncompressed: 1 << 30, SharedStrings: 128 << 20, Rows: 2_000_000, Columns: 200}
	TargetLimits       = Limits{Uncompressed: 16 << 20, SharedStrings: 4 << 20, Rows: 2_000, Columns: 200}
	IntelligenceLimits = Limits{Uncompressed: 16 << 20, SharedStrings: 4 << 20, Rows: 5_000, Columns: 200}
)

// MaxErrorsShown is how many row errors an import's JSON answer carries;
// the count stays exact and the full list is the error file.
const MaxErrorsShown = 1000

// checkZip refuses an XLSX whose parts, as the zip's directory declares
// them, unpack beyond the limits (archive/zip refuses a part whose data
// runs past its declared size, so the declaration binds).
func checkZip(zr *zip.Reader, lim Limits) error {
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), "xl/sharedStrings.xml") && f.UncompressedSize64 > uint64(lim.SharedStrings) {
			return tooLarge("共享字符串表", "shared-strings table", lim.SharedStrings)
		}
		if total > uint64(lim.Uncompressed) {
			return tooLarge("文件", "file", lim.Uncompressed)
		}
	}
	return nil
}

func tooLarge(zh, en string, n int64) error {
	return errs.E(errs.TooLarge, fmt.Sprintf("%s解压后超过 %d MB，请拆分后再导入", zh, n>>20),
		fmt.Sprintf("the %s unpacks beyond %d MB; split it and import the parts", en, n>>20)).
		Field("file", fmt.Sprintf("解压后超过 %d MB", n>>20), fmt.Sprintf("unpacks beyond %d MB", n>>20))
}

// checkRow refuses a data row past the row bound (data counts the rows
// below the header so far), or a row with too many cells (line is its
// number).
func (lim Limits) checkRow(data, line, cells int) error {
	if data > lim.Rows {
		return errs.E(errs.TooLarge, fmt.Sprintf("最多导入 %d 行，请拆分文件", lim.Rows), fmt.Sprintf("at most %d rows per file; split it", lim.Rows)).
			Field("file", fmt.Sprintf("超过 %d 行", lim.Rows), fmt.Sprintf("more than %d rows", lim.Rows))
	}
	if cells > lim.Columns {
		return errs.E(errs.Invalid, fmt.Sprintf("第 %d 行超过 %d 列", line, lim.Columns), fmt.Sprintf("row %d has more than %d columns", line, lim.Columns)).
			Field("file", fmt.Sprintf("超过 %d 列", lim.Columns), fmt.Sprintf("more than %d columns", lim.Columns))
	}
	return nil
}
