package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ParamsProblem is one thing wrong with a parameters file: its line, the
// entry and field ("[2].ParameterValue"), and what is allowed.
type ParamsProblem struct {
	Line    int
	Field   string
	Message string
}

// ParamsError lists every problem found in a parameters file.
type ParamsError struct {
	File     string
	Problems []ParamsProblem
}

func (e *ParamsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: not a parameters file the aws CLI accepts (a JSON array of {\"ParameterKey\": \"...\", \"ParameterValue\": \"...\"} objects):", e.File)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		if p.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", p.Line)
		}
		if p.Field != "" {
			b.WriteString(p.Field + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// paramFields are the fields of a Parameter in the CloudFormation API, the
// ones the aws CLI accepts in a --parameters file. ResolvedValue is
// describe-stacks output; it is accepted and ignored, as the API does.
var paramFields = []string{"ParameterKey", "ParameterValue", "UsePreviousValue", "ResolvedValue"}

// DecodeParams reads a parameters file as strictly as the aws CLI does
// before it calls CloudFormation: a JSON array of objects with exactly the
// API's field names (case-sensitive), string values, no nulls, no unknown or
// repeated fields, valid UTF-8, and each parameter given once (the same
// value twice is left to the validator's duplicate warning). Every problem
// names its line.
func DecodeParams(data []byte, file string) ([]ParamValue, error) {
	d := &paramsDecoder{data: data}
	values := d.decode()
	if len(d.probs) > 0 {
		return nil, &ParamsError{File: file, Problems: d.probs}
	}
	return values, nil
}

type paramsDecoder struct {
	data  []byte
	dec   *json.Decoder
	probs []ParamsProblem
}

func (d *paramsDecoder) add(line int, field, format string, args ...any) {
	d.probs = append(d.probs, ParamsProblem{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// lineAt is the line of the byte at offset.
func (d *paramsDecoder) lineAt(offset int64) int {
	if offset > int64(len(d.data)) {
		offset = int64(len(d.data))
	}
	return 1 + bytes.Count(d.data[:offset], []byte("\n"))
}

// token reads the next token and the line it ends on; syntax errors become
// problems with their line.
func (d *paramsDecoder) token() (json.Token, int, bool) {
	tok, err := d.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			d.add(d.lineAt(se.Offset), "", "JSON syntax error: %v", err)
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			d.add(d.lineAt(int64(len(d.data))), "", "the file ends before the array is closed")
		default:
			d.add(d.lineAt(d.dec.InputOffset()), "", "%v", err)
		}
		return nil, 0, false
	}
	return tok, d.lineAt(d.dec.InputOffset() - 1), true
}

// skip reads the rest of a value whose first token was tok.
func (d *paramsDecoder) skip(tok json.Token) bool {
	delim, ok := tok.(json.Delim)
	if !ok || (delim != '[' && delim != '{') {
		return true
	}
	for depth := 1; depth > 0; {
		t, _, ok := d.token()
		if !ok {
			return false
		}
		switch t {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return true
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case json.Number:
		return "the number " + v.String()
	case string:
		return fmt.Sprintf("the string %q", v)
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	}
	return fmt.Sprint(tok)
}

func (d *paramsDecoder) decode() []ParamValue {
	if i := bytes.IndexByte(d.data, 0); i >= 0 {
		d.add(d.lineAt(int64(i)), "", "a NUL byte: the file is binary or corrupted; a parameters file is JSON text")
		return nil
	}
	if !utf8.Valid(d.data) {
		i := 0
		for i < len(d.data) {
			r, size := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		d.add(d.lineAt(int64(i)), "", "byte 0x%02X is not UTF-8: save the file as UTF-8", d.data[i])
		return nil
	}
	d.dec = json.NewDecoder(bytes.NewReader(d.data))
	d.dec.UseNumber()
	tok, line, ok := d.token()
	if !ok {
		return nil
	}
	if tok != json.Delim('[') {
		d.add(line, "", "the file holds %s; it must be a JSON array of parameter objects", describe(tok))
		return nil
	}
	values := []ParamValue{}
	type given struct {
		value string
		line  int
	}
	seen := map[string]given{}
	for i := 0; d.dec.More(); i++ {
		entry := fmt.Sprintf("[%d]", i)
		tok, line, ok := d.token()
		if !ok {
			return nil
		}
		if tok != json.Delim('{') {
			d.add(line, entry, "%s is not a parameter; want {\"ParameterKey\": \"...\", \"ParameterValue\": \"...\"}", describe(tok))
			if !d.skip(tok) {
				return nil
			}
			continue
		}
		v, keyLine, complete, ok := d.object(entry, line)
		if !ok {
			return nil
		}
		if !complete {
			continue
		}
		if first, dup := seen[v.ParameterKey]; dup && first.value != v.ParameterValue {
			d.add(keyLine, entry, "%s is given twice with different values (%q at line %d, %q here); give it once", v.ParameterKey, first.value, first.line, v.ParameterValue)
			continue
		} else if !dup {
			seen[v.ParameterKey] = given{v.ParameterValue, keyLine}
		}
		v.Line = keyLine
		values = append(values, v)
	}
	if _, _, ok := d.token(); !ok { // the closing ]
		return nil
	}
	if tok, err := d.dec.Token(); err != io.EOF {
		line := d.lineAt(d.dec.InputOffset())
		if err == nil {
			line = d.lineAt(d.dec.InputOffset() - 1)
		}
		d.add(line, "", "content after the array (%s); a parameters file is one JSON array", describe(tok))
	}
	return values
}

// object reads one parameter object after its '{'. complete is false when
// the entry had problems; ok is false when the file cannot be read further.
func (d *paramsDecoder) object(entry string, start int) (v ParamValue, keyLine int, complete, ok bool) {
	fields := map[string]int{}
	complete = true
	usePrevious := false
	for d.dec.More() {
		tok, line, ok := d.token()
		if !ok {
			return v, 0, false, false
		}
		name, _ := tok.(string)
		val, valLine, ok := d.token()
		if !ok {
			return v, 0, false, false
		}
		field := entry + "." + name
		if first, dup := fields[name]; dup {
			d.add(line, field, "field given twice in one parameter (first at line %d)", first)
			complete = false
			if !d.skip(val) {
				return v, 0, false, false
			}
			continue
		}
		fields[name] = line
		known := false
		for _, f := range paramFields {
			known = known || f == name
		}
		if !known {
			msg := fmt.Sprintf("unknown field (allowed: %s)", strings.Join(paramFields, ", "))
			for _, f := range paramFields {
				if strings.EqualFold(f, name) {
					msg = fmt.Sprintf("unknown field; did you mean %s? Field names are case-sensitive", f)
				}
			}
			d.add(line, field, "%s", msg)
			complete = false
			if !d.skip(val) {
				return v, 0, false, false
			}
			continue
		}
		if name == "UsePreviousValue" {
			b, isBool := val.(bool)
			switch {
			case !isBool:
				d.add(valLine, field, "%s is not true or false", describe(val))
				complete = false
			case b:
				d.add(valLine, field, "true keeps the value of a deployed stack, which cannot be checked offline and create-stack refuses; give the ParameterValue instead")
				complete = false
			}
			usePrevious = usePrevious || b
			if !d.skip(val) {
				return v, 0, false, false
			}
			continue
		}
		s, isString := val.(string)
		if !isString {
			hint := ""
			switch val.(type) {
			case json.Number, bool:
				hint = fmt.Sprintf(" (write it as a string: \"%v\")", val)
			case nil:
				hint = " (write \"\" for an empty value, or leave the parameter out)"
			}
			d.add(valLine, field, "%s is not allowed: the aws CLI accepts only strings%s", describe(val), hint)
			complete = false
			if !d.skip(val) {
				return v, 0, false, false
			}
			continue
		}
		switch name {
		case "ParameterKey":
			v.ParameterKey, keyLine = s, valLine
			if s == "" {
				d.add(valLine, field, "is empty; name a parameter of the template")
				complete = false
			}
		case "ParameterValue":
			v.ParameterValue = s
		}
	}
	if _, _, ok := d.token(); !ok { // the closing }
		return v, 0, false, false
	}
	if _, has := fields["ParameterKey"]; !has {
		d.add(start, entry, "ParameterKey is missing")
		complete = false
	}
	if _, has := fields["ParameterValue"]; !has && !usePrevious && v.ParameterKey != "" {
		d.add(start, entry, "%s has no ParameterValue", v.ParameterKey)
		complete = false
	}
	if keyLine == 0 {
		keyLine = start
	}
	return v, keyLine, complete, true
}
