// Command testidp is an OpenID Connect provider for the browser tests and
// for trying single sign-on by hand: it stands in for the city's identity
// platform (统一身份认证). Its sign-in page asks only for a username and
// signs anyone in as it, so it starts only with ATTRACT_TEST_IDP=1 and is
// never part of a release (make e2e builds it next to attract).
//
//	ATTRACT_TEST_IDP=1 testidp --addr 127.0.0.1:18085 --client-id attract --secret-file tmp/e2e/sso.secret
//
// The issuer is http://ADDR/oidc; the client secret is written to the file.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/oauth2-proxy/mockoidc"
)

// page is the provider's sign-in page: the authorize request's parameters
// are carried on, with the username added.
var page = template.Must(template.New("login").Parse(`<!doctype html><meta charset="utf-8"><title>统一身份认证（测试）</title>
<h1>统一身份认证平台（测试）</h1>
<form method="get">{{range $k, $v := .}}{{range $v}}<input type="hidden" name="{{$k}}" value="{{.}}">{{end}}{{end}}
<label>用户名 <input name="login" data-test="idp-username" autofocus></label>
<button type="submit" data-test="idp-submit">登录</button></form>`))

func main() {
	addr := flag.String("addr", "127.0.0.1:18085", "listen address")
	clientID := flag.String("client-id", "attract", "the client id attract is configured with")
	secretFile := flag.String("secret-file", "", "file to write the client secret to (attract's ATTRACT_SSO_CLIENT_SECRET_FILE)")
	flag.Parse()
	if os.Getenv("ATTRACT_TEST_IDP") != "1" {
		log.Fatal("testidp signs anyone in by username: it starts only with ATTRACT_TEST_IDP=1 (tests and demonstrations)")
	}
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	m.ClientID = *clientID
	if *secretFile != "" {
		if err := os.WriteFile(*secretFile, []byte(m.ClientSecret+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	_ = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.AuthorizationEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			q := r.URL.Query()
			login := q.Get("login")
			if login == "" {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_ = page.Execute(w, q)
				return
			}
			m.QueueUser(&mockoidc.MockUser{Subject: "testidp-" + login, PreferredUsername: login})
			next.ServeHTTP(w, r)
		})
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println("testidp: issuer", m.Issuer(), "client id", m.ClientID)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	_ = m.Shutdown()
}
