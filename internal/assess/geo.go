package assess

import (
	_ "embed"
	"net/http"
	"os"

	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/setting"
)

// zhaoqing_441200.geojson: Zhaoqing's eight counties/districts (DataV
// GeoAtlas format, from shared/data/geo, see its PROVENANCE.md: 2021 data,
// no licence stated — a city replaces it with its own approved map file).
//
//go:embed zhaoqing_441200.geojson
var defaultMap []byte

// MapSetting names the city's own approved map file on the server.
type MapSetting struct {
	File string `json:"file"`
}

// Map sends the cockpit's map: the file named by the setting "cockpit.map"
// when there is one, else the embedded default.
func (h Handlers) Map(w http.ResponseWriter, r *http.Request) error {
	var cfg MapSetting
	if _, err := setting.Load(r.Context(), h.S.DB.Reader(), "cockpit.map", &cfg); err != nil {
		return err
	}
	data := defaultMap
	if cfg.File != "" {
		b, err := os.ReadFile(cfg.File)
		if err != nil {
			return errs.Wrap(err, "map file")
		}
		data = b
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err := w.Write(data)
	return err
}
