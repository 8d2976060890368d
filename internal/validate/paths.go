package validate

import (
	"strconv"
	"strings"
)

// nodePath is the path of a value in the template, kept lazily: each node
// knows its parent and its own key, and the string
// ("Resources/Db/Properties/EngineVersion") is built only when a finding
// needs it. A walk over a deeply nested template then costs one small node
// per value instead of a string as long as the depth.
type nodePath struct {
	parent *nodePath
	key    string
}

// pathOf returns the node path of a string path such as "Resources/X".
func pathOf(s string) *nodePath {
	var p *nodePath
	for _, k := range strings.Split(s, "/") {
		p = p.child(k)
	}
	return p
}

func (p *nodePath) child(k string) *nodePath { return &nodePath{p, k} }

func (p *nodePath) index(i int) *nodePath { return &nodePath{p, strconv.Itoa(i)} }

// String joins the keys with "/".
func (p *nodePath) String() string {
	if p == nil {
		return ""
	}
	n, depth := 0, 0
	for q := p; q != nil; q = q.parent {
		n += len(q.key)
		depth++
	}
	b := make([]byte, n+depth-1)
	i := len(b)
	for q := p; q != nil; q = q.parent {
		i -= len(q.key)
		copy(b[i:], q.key)
		if i > 0 {
			i--
			b[i] = '/'
		}
	}
	return string(b)
}

// Key is the last key of the path.
func (p *nodePath) Key() string {
	if p == nil {
		return ""
	}
	return p.key
}

// under reports whether a key above the last one is k.
func (p *nodePath) under(k string) bool {
	if p == nil {
		return false
	}
	for q := p.parent; q != nil; q = q.parent {
		if q.key == k {
			return true
		}
	}
	return false
}

// resource returns the logical id of the resource the path is in, or "".
func (p *nodePath) resource() string {
	var below *nodePath
	for q := p; q != nil; q = q.parent {
		if q.parent == nil {
			if q.key == "Resources" && below != nil {
				return below.key
			}
			return ""
		}
		below = q
	}
	return ""
}

// finding builds a finding at the path.
func (p *nodePath) finding(msg string) Finding {
	return Finding{Resource: p.resource(), Path: p.String(), Message: msg}
}
