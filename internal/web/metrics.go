package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is one server's Prometheus registry (one per Server, so that
// tests and several servers in one process do not share counters).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "attract_http_requests_total", Help: "HTTP requests by route (the route table's pattern), method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "attract_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(s.DB.W, "writer"))
	if s.DB.R != s.DB.W {
		m.reg.MustRegister(collectors.NewDBStatsCollector(s.DB.R, "reader"))
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "attract_project_mirror_generation_lag", Help: "Project writes committed to the table that this server's mirror has not read yet (-1 before it loads).",
	}, s.mirrorLag))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "attract_ready", Help: "1 when the mirror and the enterprise index are loaded.",
	}, func() float64 {
		if s.Ready != nil && s.Ready.mirror.Load() && s.Ready.index.Load() {
			return 1
		}
		return 0
	}))
	if s.Backups != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "attract_backup_last_success_timestamp_seconds", Help: "When the newest scheduled backup (on any server) was taken, Unix time; 0 for none.",
		}, func() float64 {
			t, err := s.Backups.LastTaken(context.Background())
			if err != nil || t.IsZero() {
				return 0
			}
			return float64(t.Unix())
		}))
	}
	return m
}

// mirrorLag is the table's project generation less the mirror's.
func (s *Server) mirrorLag() float64 {
	gen, ok := s.Project.Mirror().Generation()
	if !ok {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	table, err := s.Project.Mirror().Latest(ctx)
	if err != nil {
		return -1
	}
	return float64(max(table-gen, 0))
}

// instrument counts and times the requests of one route.
func (m *metrics) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w, status: 200}
		}
		next.ServeHTTP(sw, r)
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

// serveMetrics is /metrics in Prometheus's text format.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	promhttp.HandlerFor(s.metrics().reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
