package model

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// Problem is one thing wrong with a config file: where, and what is allowed.
type Problem struct {
	Line    int    // 0 when the problem has no single place in the file
	Path    string // field path, e.g. network.azCount
	Message string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ConfigError lists every problem found in a config file.
type ConfigError struct {
	File     string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config %s:", e.File)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		if p.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", p.Line)
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Lines maps field paths to the line where the config file sets them, so
// that validation problems can point at the file.
type Lines map[string]int

// Parse reads a cfngen.yaml config strictly: unknown keys, wrong types,
// duplicate keys and anything that looks like a secret are problems, each
// with its line. Fields the file does not set keep their defaults. The
// result is not yet validated: call Validate.
func Parse(data []byte, file string) (Backend, Lines, error) {
	b := defaults()
	defer b.fill()
	lines := Lines{}
	if line, msg := textProblem(data); msg != "" {
		return Default(), lines, &ConfigError{File: file, Problems: []Problem{{Line: line, Message: msg}}}
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return Default(), lines, &ConfigError{File: file, Problems: []Problem{{Line: syntaxLine(data, err), Message: cleanYAMLError(err)}}}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := extra.Line
		if err != nil {
			line = syntaxLine(data, err)
		}
		return Default(), lines, &ConfigError{File: file, Problems: []Problem{{Line: line, Message: "a config file holds one YAML document; remove the --- and what follows, or merge it"}}}
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return Default(), lines, &ConfigError{File: file, Problems: []Problem{{Message: emptyMessage}}}
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.ShortTag() == "!!null" && doc.Style&yaml.TaggedStyle == 0 {
		return Default(), lines, &ConfigError{File: file, Problems: []Problem{{Line: doc.Line, Message: emptyMessage}}}
	}
	var probs []Problem
	c := &checker{lines: lines, probs: &probs}
	c.node(doc, reflect.TypeOf(Backend{}), "")
	if len(probs) > 0 {
		return b, lines, &ConfigError{File: file, Problems: probs}
	}
	// The file is well-formed: decode it over the defaults. Environments are
	// decoded one by one over their presets.
	var envs *yaml.Node
	top := *doc
	top.Content = nil
	for i := 0; i < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "environments" {
			envs = doc.Content[i+1]
			continue
		}
		top.Content = append(top.Content, doc.Content[i], doc.Content[i+1])
	}
	if err := top.Decode(&b); err != nil {
		return b, lines, &ConfigError{File: file, Problems: []Problem{{Message: cleanYAMLError(err)}}}
	}
	if envs != nil {
		b.Environments = nil
		for i := 0; i < len(envs.Content); i += 2 {
			name := envs.Content[i].Value
			e := Preset(name)
			if v := envs.Content[i+1]; v.ShortTag() == "!!null" {
				// keeps the preset
			} else if err := v.Decode(&e); err != nil {
				return b, lines, &ConfigError{File: file, Problems: []Problem{{Line: envs.Content[i].Line, Path: "environments." + name, Message: cleanYAMLError(err)}}}
			}
			e.Name, e.Listed = name, hasKey(envs.Content[i+1], "params")
			b.Environments = append(b.Environments, e)
		}
	}
	return b, lines, nil
}

// fill derives the defaults that depend on other values.
func (b *Backend) fill() {
	for i := range b.Environments {
		if b.Environments[i].Params.VPCName == "" {
			b.Environments[i].Params.VPCName = b.Project.Name + "-vpc"
		}
	}
}

// secretKey matches keys that would put a secret in the config file.
var secretKey = lazyRE(`(?i)(passw(or)?d|pwd|secret|token|private.?key|credential|api.?key|access.?key)`)

type checker struct {
	lines Lines
	probs *[]Problem
}

func (c *checker) add(n *yaml.Node, path, format string, args ...any) {
	*c.probs = append(*c.probs, Problem{Line: n.Line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// node checks n against the Go type t that it will be decoded into.
func (c *checker) node(n *yaml.Node, t reflect.Type, path string) {
	if path != "" {
		c.lines[path] = n.Line
	}
	if n.Kind == yaml.AliasNode {
		c.add(n, path, "aliases are not supported; write the value out")
		return
	}
	if msg := tagProblem(n); msg != "" {
		c.add(n, path, "%s", msg)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		c.add(n, path, "has no value (remove the key to keep the default)")
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		c.mapping(n, t, path)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			c.add(n, path, "must be a mapping of names to values")
			return
		}
		c.entries(n, path, "key", func(k, v *yaml.Node, p string) {
			if secretKey.MatchString(k.Value) {
				c.add(k, p, secretMessage)
				return
			}
			c.node(v, t.Elem(), p)
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			c.add(n, path, "must be a list")
			return
		}
		for i, e := range n.Content {
			c.node(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Int:
		var i int
		switch {
		case n.Kind != yaml.ScalarNode:
			c.add(n, path, "%s is not a whole number", show(n))
		case n.ShortTag() != "!!int":
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				c.add(n, path, "%s is text: remove the quotes", show(n))
			} else {
				c.add(n, path, "%s is not a whole number", show(n))
			}
		case n.Decode(&i) != nil:
			c.add(n, path, "%s is not a whole number in range", show(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			c.add(n, path, "%s is not true or false", show(n))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			c.add(n, path, "must be a text value, not a %s", kindName(n))
		} else if msg := valueProblem(n.Value); msg != "" {
			c.add(n, path, "%s", msg)
		}
	}
}

func (c *checker) mapping(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		c.add(n, path, "must be a mapping, not %s", show(n))
		return
	}
	fields := map[string]reflect.StructField{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = f
		names = append(names, tag)
	}
	if t == reflect.TypeOf(Backend{}) {
		names = append(names, "environments")
	}
	sort.Strings(names)
	c.entries(n, path, "key", func(k, v *yaml.Node, p string) {
		if t == reflect.TypeOf(Backend{}) && k.Value == "environments" {
			c.environments(v, p)
			return
		}
		f, ok := fields[k.Value]
		switch {
		case ok:
			c.node(v, f.Type, p)
		case secretKey.MatchString(k.Value):
			c.add(k, p, secretMessage)
		default:
			c.add(k, p, "unknown key (allowed: %s)", strings.Join(names, ", "))
		}
	})
}

// secretMessage refuses a secret-looking key.
const secretMessage = "secrets never go in cfngen.yaml or a params file: the database master password is generated in Secrets Manager (output DBSecretArn); pass other secrets at deploy time"

// entries calls f for each key of a mapping node that is a plain name and
// not a duplicate (what names the kind of key in the duplicate message).
func (c *checker) entries(n *yaml.Node, path, what string, f func(k, v *yaml.Node, p string)) {
	seen := map[string]int{}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !c.plainKey(k, path) {
			continue
		}
		p := join(path, k.Value)
		if first, dup := seen[k.Value]; dup {
			c.add(k, p, "duplicate %s (first at line %d)", what, first)
			continue
		}
		seen[k.Value] = k.Line
		f(k, v, p)
	}
}

func (c *checker) environments(n *yaml.Node, path string) {
	c.lines[path] = n.Line
	if msg := tagProblem(n); msg != "" {
		c.add(n, path, "%s", msg)
		return
	}
	if n.Kind != yaml.MappingNode {
		c.add(n, path, "must map environment names to their settings")
		return
	}
	if len(n.Content) == 0 {
		c.add(n, path, "must name at least one environment")
		return
	}
	c.entries(n, path, "environment", func(k, v *yaml.Node, p string) {
		if !(v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null") {
			c.node(v, reflect.TypeOf(Environment{}), p)
		}
		c.lines[p] = k.Line // the environment's own line, not its first setting's
	})
}

// plainKey reports whether a mapping key is a plain name; aliases and
// collections as keys are refused.
func (c *checker) plainKey(k *yaml.Node, path string) bool {
	if k.Kind == yaml.ScalarNode && k.Alias == nil && k.Anchor == "" && k.ShortTag() == "!!str" {
		return true
	}
	name := k.Value
	if k.Kind == yaml.AliasNode && k.Alias != nil {
		name = "*" + k.Value
	}
	c.add(k, join(path, name), "keys must be plain names (no aliases, anchors, numbers or collections)")
	return false
}

func show(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return "a " + kindName(n)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

var yamlLine = lazyRE(`line (\d+)`)

func yamlErrorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func cleanYAMLError(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = yamlLine.ReplaceAllString(s, "")
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), ":"))
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; n.Kind == yaml.MappingNode && i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}
