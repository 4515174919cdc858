package tabular

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small pull parser for the worksheet and shared-strings
// parts of an XLSX: encoding/xml builds a token (and its allocations) for
// every tag, attribute and text of the 1.4 million cells of a 50,000-row
// ledger, which took 5 of the XLSX import's 17 seconds. The scanner reads
// through a buffer, hands out tags as slices of it and decodes only the
// text the ledger keeps. It reads well-formed XML as encoding/xml does
// (entities, character references, CDATA, comments, CR LF → LF, the XML
// character range); what it does not check (matching end-tag names, "]]>"
// in text) only matters for files no spreadsheet program writes.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int // unread bytes are buf[pos:end]
	eof      bool
	err      error  // a read error other than io.EOF
	text     []byte // scratch for decoded text
	seen     map[string]string
}

var errXML = errors.New("malformed XML")

// maxXMLToken bounds the buffer: a cell holds at most 32,767 characters.
const maxXMLToken = 16 << 20

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 256<<10)}
}

// xmlTag is an element's start (<name …>), end (</name>) or both (<name …/>).
// name and attrs point into the scanner's buffer: valid until the next call.
type xmlTag struct {
	end, empty bool
	name       []byte // local name (without prefix)
	attrs      []byte
}

func (t xmlTag) is(name string) bool { return string(t.name) == name }

// more reads further input, keeping buf[pos:end]; false when none is left.
func (s *xmlScanner) more() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxXMLToken { // no tag or cell text is this long: a broken or hostile file
			s.eof, s.err = true, errXML
			return false
		}
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	n, err := io.ReadAtLeast(s.r, s.buf[s.end:], 1)
	s.end += n
	if err != nil {
		s.eof = true
		if err != io.EOF && err != io.ErrUnexpectedEOF {
			s.err = err
		}
	}
	return n > 0
}

// find returns the offset from pos of the first pat at or after from, reading
// further input as needed; -1 when the input ends first.
func (s *xmlScanner) find(from int, pat string) int {
	for {
		if i := bytes.Index(s.buf[s.pos+from:s.end], []byte(pat)); i >= 0 {
			return from + i
		}
		from = max(from, s.end-s.pos-len(pat)+1)
		if !s.more() {
			return -1
		}
	}
}

// ensure makes n bytes from pos available if the input has them.
func (s *xmlScanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.more() {
			return false
		}
	}
	return true
}

func (s *xmlScanner) fail() error {
	if s.err != nil {
		return s.err
	}
	return errXML
}

// tag skips text up to the next element tag and returns it; io.EOF at the
// end of the input.
func (s *xmlScanner) tag() (xmlTag, error) {
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			s.pos = s.end
			if !s.more() {
				if s.err != nil {
					return xmlTag{}, s.err
				}
				return xmlTag{}, io.EOF
			}
			continue
		}
		s.pos += i
		t, ok, err := s.markup()
		if err != nil || ok {
			return t, err
		}
	}
}

// markup reads the markup at pos ('<'): an element tag (ok), or a comment,
// processing instruction, CDATA section or declaration, which it passes over.
// CDATA is text, which the caller skips here; chardata keeps it.
func (s *xmlScanner) markup() (xmlTag, bool, error) {
	if !s.ensure(2) {
		return xmlTag{}, false, s.fail()
	}
	var from int
	var pat string
	switch b := s.buf[s.pos+1]; {
	case b == '?':
		from, pat = 2, "?>"
	case b == '!':
		s.ensure(9)
		rest := s.buf[s.pos:s.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			from, pat = 4, "-->"
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			from, pat = 9, "]]>"
		default: // <!DOCTYPE …> without an internal subset
			from, pat = 2, ">"
		}
	default:
		t, err := s.element()
		return t, err == nil, err
	}
	i := s.find(from, pat)
	if i < 0 {
		return xmlTag{}, false, s.fail()
	}
	if pat == ">" && bytes.IndexByte(s.buf[s.pos:s.pos+i], '[') >= 0 {
		return xmlTag{}, false, errXML
	}
	s.pos += i + len(pat)
	return xmlTag{}, false, nil
}

// element reads <name attrs>, <name attrs/> or </name> at pos.
func (s *xmlScanner) element() (xmlTag, error) {
	n, err := s.tagEnd()
	if err != nil {
		return xmlTag{}, err
	}
	raw := s.buf[s.pos+1 : s.pos+n]
	s.pos += n + 1
	var t xmlTag
	if len(raw) > 0 && raw[0] == '/' {
		t.end, raw = true, raw[1:]
	} else if len(raw) > 0 && raw[len(raw)-1] == '/' {
		t.empty, raw = true, raw[:len(raw)-1]
	}
	i := 0
	for i < len(raw) && raw[i] != ' ' && raw[i] != '\t' && raw[i] != '\r' && raw[i] != '\n' {
		i++
	}
	t.name, t.attrs = raw[:i], raw[i:]
	if len(t.name) == 0 {
		return t, errXML
	}
	if c := bytes.LastIndexByte(t.name, ':'); c >= 0 {
		t.name = t.name[c+1:]
	}
	return t, nil
}

// tagEnd returns the offset from pos of the '>' closing the tag at pos,
// reading further input as needed ('>' may appear in a quoted value).
func (s *xmlScanner) tagEnd() (int, error) {
	from := 1
	for {
		rest := s.buf[s.pos+from : s.end]
		if i := bytes.IndexByte(rest, '>'); i >= 0 {
			in := rest[:i]
			if bytes.IndexByte(in, '<') >= 0 {
				return 0, errXML
			}
			// The usual tag: double quotes only, in pairs before the '>'.
			if bytes.IndexByte(in, '\'') < 0 && bytes.Count(in, []byte{'"'})%2 == 0 {
				return from + i, nil
			}
			return s.quotedTagEnd()
		}
		from = s.end - s.pos
		if !s.more() {
			return 0, s.fail()
		}
	}
}

// quotedTagEnd is tagEnd for a tag with a quote before its first '>'.
func (s *xmlScanner) quotedTagEnd() (int, error) {
	n, quote := 1, byte(0)
	for {
		if s.pos+n >= s.end && !s.more() {
			return 0, s.fail()
		}
		b := s.buf[s.pos+n]
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '>':
			return n, nil
		case b == '<':
			return 0, errXML
		}
		n++
	}
}

// skip passes over the content and end of the element whose start tag was
// just read.
func (s *xmlScanner) skip() error {
	for depth := 1; depth > 0; {
		t, err := s.tag()
		if err != nil {
			return unexpected(err)
		}
		switch {
		case t.end:
			depth--
		case !t.empty:
			depth++
		}
	}
	return nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return errXML
	}
	return err
}

// chardata returns the decoded text directly inside the element whose
// start tag was just read, reading through its end tag; text inside child
// elements is left out, as encoding/xml does when decoding into a string.
func (s *xmlScanner) chardata() (string, error) {
	s.text = s.text[:0]
	for depth := 0; ; {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			// Text at this level stays in the buffer until its end is read,
			// so that no reference is cut in two.
			if depth > 0 {
				s.pos = s.end
			}
			if !s.more() {
				return "", s.fail()
			}
			continue
		}
		if depth == 0 && i > 0 {
			if err := s.appendText(s.buf[s.pos:s.pos+i], false); err != nil {
				return "", err
			}
		}
		s.pos += i
		if s.ensure(9) && bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<![CDATA[")) {
			j := s.find(9, "]]>")
			if j < 0 {
				return "", s.fail()
			}
			if depth == 0 {
				if err := s.appendText(s.buf[s.pos+9:s.pos+j], true); err != nil {
					return "", err
				}
			}
			s.pos += j + 3
			continue
		}
		t, ok, err := s.markup()
		if err != nil {
			return "", err
		}
		switch {
		case !ok || t.empty:
		case t.end && depth == 0:
			return s.decoded()
		case t.end:
			depth--
		default:
			depth++
		}
	}
}

// appendText adds raw text to s.text, resolving references (unless CDATA)
// and turning CR LF and lone CR into LF.
func (s *xmlScanner) appendText(raw []byte, cdata bool) error {
	if !cdata && bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		s.text = append(s.text, raw...)
		return nil
	}
	for i := 0; i < len(raw); i++ {
		switch b := raw[i]; {
		case b == '\r':
			s.text = append(s.text, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case b == '&' && !cdata:
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return errXML
			}
			r, ok := entityRune(raw[i+1 : i+j])
			if !ok {
				return errXML
			}
			s.text = utf8.AppendRune(s.text, r)
			i += j
		default:
			s.text = append(s.text, b)
		}
	}
	return nil
}

func entityRune(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	base, digits := 10, name[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// decoded checks the collected text is UTF-8 within XML's character range
// and returns it (a value seen before shares its string).
func (s *xmlScanner) decoded() (string, error) {
	t := s.text
	if !utf8.Valid(t) {
		return "", errXML
	}
	for _, b := range t {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return "", errXML
		}
	}
	if bytes.IndexByte(t, 0xEF) >= 0 && (bytes.Contains(t, []byte("\uFFFE")) || bytes.Contains(t, []byte("\uFFFF"))) {
		return "", errXML
	}
	return s.intern(t), nil
}

// intern returns a short value as the string it gave last time: a ledger
// repeats its stages, statuses, dates and places thousands of times.
func (s *xmlScanner) intern(b []byte) string {
	if len(b) > 32 {
		return string(b)
	}
	if v, ok := s.seen[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(s.seen) < 1<<14 {
		if s.seen == nil {
			s.seen = map[string]string{}
		}
		s.seen[v] = v
	}
	return v
}

// attr returns the value of the attribute with the given local name, as a
// slice of attrs when it holds no reference.
func attr(attrs []byte, name string) ([]byte, bool) {
	for {
		attrs = trimSpace(attrs)
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return nil, false
		}
		key := trimSpace(attrs[:eq])
		rest := trimSpace(attrs[eq+1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return nil, false
		}
		if c := bytes.LastIndexByte(key, ':'); c >= 0 {
			key = key[c+1:]
		}
		if string(key) == name {
			v := rest[1 : end+1]
			if bytes.IndexByte(v, '&') < 0 {
				return v, true
			}
			var sc xmlScanner
			if sc.appendText(v, false) != nil {
				return nil, false
			}
			return sc.text, true
		}
		attrs = rest[end+2:]
	}
}

// trimSpace trims XML white space (bytes.TrimSpace would take more).
func trimSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
