package model

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled on first use. Every cfngen
// command starts this package, most never check a config: compiling the
// config's patterns up front (counted repetitions like {0,127} make big
// programs) cost every start about a millisecond.
type lazyRegexp struct {
	text string
	once sync.Once
	re   *regexp.Regexp
}

func lazyRE(text string) *lazyRegexp { return &lazyRegexp{text: text} }

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.text) })
	return l.re
}

func (l *lazyRegexp) String() string                       { return l.text }
func (l *lazyRegexp) MatchString(s string) bool            { return l.get().MatchString(s) }
func (l *lazyRegexp) FindStringSubmatch(s string) []string { return l.get().FindStringSubmatch(s) }
func (l *lazyRegexp) ReplaceAllString(s, repl string) string {
	return l.get().ReplaceAllString(s, repl)
}
