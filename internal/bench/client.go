package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"time"
)

// client is a signed-in browser-like caller: session cookie plus CSRF token.
type client struct {
	base string
	http *http.Client
	csrf string
	user string
}

// login signs a user in through the API, as the UI does.
func login(ctx context.Context, base, username, password string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{base: base, http: &http.Client{Jar: jar, Timeout: 10 * time.Minute}, user: username}
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("sign in as %s: %d %s", username, resp.StatusCode, raw)
	}
	var info struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(raw, &info); err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", username, err)
	}
	c.csrf = info.CSRFToken
	return c, nil
}

// get times one GET from sending the request to the last byte of the
// body, which it returns (or writes to sink, when given).
func (c *client) get(ctx context.Context, path string, sink io.Writer) ([]byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	var raw []byte
	if sink != nil && resp.StatusCode == 200 {
		_, err = io.Copy(sink, resp.Body)
	} else {
		raw, err = io.ReadAll(resp.Body)
	}
	took := time.Since(start)
	if err != nil {
		return nil, took, err
	}
	if resp.StatusCode != 200 {
		return raw, took, fmt.Errorf("GET %s as %s: %d %s", path, c.user, resp.StatusCode, bytes.TrimSpace(raw))
	}
	return raw, took, nil
}

// post sends a request with the CSRF header (multipart or JSON body).
func (c *client) post(ctx context.Context, path, contentType string, body io.Reader) ([]byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, body)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-CSRF-Token", c.csrf)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err == nil && resp.StatusCode/100 != 2 {
		err = fmt.Errorf("POST %s as %s: %d %s", path, c.user, resp.StatusCode, bytes.TrimSpace(raw))
	}
	return raw, took, err
}
