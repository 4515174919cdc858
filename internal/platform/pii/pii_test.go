package pii

import (
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	if err := UseKey([]byte("0123456789abcdef0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = UseKey(nil) })
	a, b := Seal("13800001111"), Seal("13800001111")
	if !Sealed(a) || strings.Contains(a, "1380000") || a == b {
		t.Fatalf("sealed %q %q: want an enc1: value hiding the digits, a fresh nonce each time", a, b)
	}
	if got, err := Open(a); err != nil || got != "13800001111" {
		t.Fatalf("open = %q, %v", got, err)
	}
	if Seal("") != "" {
		t.Fatal("empty stays empty")
	}
	if got, _ := Open("plain 1"); got != "plain 1" {
		t.Fatalf("unsealed rows read as they are, got %q", got)
	}
	tampered := a[:len(a)-2] + "AA"
	if _, err := Open(tampered); err == nil {
		t.Fatal("a tampered value must not open (GCM authenticates)")
	}
	_ = UseKey([]byte("another-key-another-key-another!!"))
	if _, err := Open(a); err != ErrNoKey || Masked(a) != "***" {
		t.Fatal("the wrong key opens nothing and masks as ***")
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"13800001111":         "138****1111",
		"0758-2288888":        "075****8888",
		"张先生 138 0000 1111":   "张先生 138****1111",
		"44120219800101123X":  "441***********123X",
		"zhang.san@zq.gov.cn": "z***@zq.gov.cn",
		"王主任，wang@example.com，13912345678": "王主任，w***@example.com，139****5678",
		"微信 wx_abc": "微***",
		"123456":    "1***",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeep(t *testing.T) {
	_ = UseKey([]byte("0123456789abcdef0123456789abcdef"))
	t.Cleanup(func() { _ = UseKey(nil) })
	stored := Seal("13800001111")
	if got := Keep("138****1111", stored); got != "13800001111" {
		t.Fatalf("the mask sent back keeps the value, got %q", got)
	}
	if got := Keep("13900002222", stored); got != "13900002222" {
		t.Fatalf("a new value replaces it, got %q", got)
	}
	if got := Keep("", stored); got != "" {
		t.Fatalf("an emptied field clears it, got %q", got)
	}
}

func FuzzMaskOpen(f *testing.F) {
	_ = UseKey([]byte("0123456789abcdef0123456789abcdef"))
	for _, s := range []string{"", "13800001111", "a@b.c", "enc1:", "enc1:AAAA", "张 138-0000-1111", "@@@", "0000000x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = Mask(s)
		_, _ = Open(s)
		if got, err := Open(Seal(s)); err != nil || got != s {
			t.Fatalf("round trip of %q gave %q, %v", s, got, err)
		}
	})
}
