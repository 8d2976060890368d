package model

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// emptyMessage refuses a config file without settings: rendering the
// built-in defaults from a file that was meant to hold settings (truncated,
// or saved empty) would silently replace every environment's output.
const emptyMessage = "the file has no settings (it is empty or holds only comments), so cfngen will not render the built-in defaults from it: write your settings (cfngen init --force writes a starter file), or delete the file to render the built-in defaults"

// textProblem finds the first byte that makes data unusable as YAML text:
// invalid UTF-8, a NUL byte or another control character. It returns its
// line and a message, or 0 and "".
func textProblem(data []byte) (int, string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark is fine
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, fmt.Sprintf("byte 0x%02X at column %d is not UTF-8: save the file as UTF-8", data[i], col)
		case r == 0:
			return line, fmt.Sprintf("a NUL byte at column %d: the file is binary or corrupted; YAML is text", col)
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 && r != '\t' && r != '\r', r == 0x7f:
			return line, fmt.Sprintf("control character U+%04X at column %d is not allowed in YAML", r, col)
		}
		i += size
		col++
	}
	return 0, ""
}

// syntaxLine returns the line of a YAML error: the one in its text, or, when
// the parser gave none (it leaves out line 1, and some errors carry no
// position), the first line at which a prefix of the file fails the same way.
func syntaxLine(data []byte, err error) int {
	if l := yamlErrorLine(err); l > 0 {
		return l
	}
	want := cleanYAMLError(err)
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 2000 { // each try parses a prefix: keep the worst case near a second
		return 0
	}
	for k := 1; k <= len(lines); k++ {
		dec := yaml.NewDecoder(bytes.NewReader(bytes.Join(lines[:k], nil)))
		var n yaml.Node
		for {
			e := dec.Decode(&n)
			if e == nil {
				continue
			}
			if e != io.EOF && cleanYAMLError(e) == want {
				return k
			}
			break
		}
	}
	return 0
}

// coreTags are the YAML tags that may be written out explicitly; any other
// tag (!Sub, !Ref, !GetAtt, !!binary, ...) would change what a value means.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!bool": true, "!!float": true, "!!null": true, "!!map": true, "!!seq": true}

// tagProblem refuses explicit YAML tags other than the core ones.
func tagProblem(n *yaml.Node) string {
	if n.Style&yaml.TaggedStyle == 0 || coreTags[n.ShortTag()] {
		return ""
	}
	return fmt.Sprintf("the YAML tag %s is not allowed: cfngen.yaml holds plain values, and CloudFormation functions such as !Sub, !Ref and !GetAtt belong in templates (write the value itself)", n.Tag)
}

// secretValues are values that look like credentials. Tags, descriptions
// and parameter values end up in files and in the console, readable by
// anyone who can describe the stack.
var secretValues = []struct {
	re   *lazyRegexp
	what string
}{
	{lazyRE(`\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`), "an AWS access key id"},
	{lazyRE(`-----BEGIN [A-Z0-9 ]*-----`), "a PEM block (a key or certificate)"},
	{lazyRE(`\bgh[pousr]_[A-Za-z0-9]{30,}`), "a GitHub token"},
	{lazyRE(`\bxox[abprs]-[A-Za-z0-9-]{10,}`), "a Slack token"},
	{lazyRE(`(?i)\b(passw(or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)\s*[=:]`), "a credential assignment"},
}

// valueProblem describes what is wrong with a text value of the config, or
// returns "".
func valueProblem(s string) string {
	if strings.Contains(s, "${") {
		return fmt.Sprintf("%q holds ${...}: cfngen.yaml values are literal text and nothing substitutes them; write the value itself", s)
	}
	for _, sv := range secretValues {
		if sv.re.MatchString(s) {
			return fmt.Sprintf("looks like %s: %s", sv.what, secretValueMessage)
		}
	}
	return ""
}

// secretValueMessage says where secrets go instead.
const secretValueMessage = "secrets never go in cfngen.yaml (its values reach params files, tags and the console); keep them in Secrets Manager and pass them at deploy time"
