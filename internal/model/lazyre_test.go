package model

import (
	"regexp"
	"testing"
)

// Every lazily compiled pattern of the package compiles, and its String is
// the pattern text: a typo fails here, not in a user's first render.
func TestLazyPatternsCompile(t *testing.T) {
	all := []*lazyRegexp{secretKey, yamlLine, cidrPattern, ProjectPattern, EnvPattern, IdentifierPattern,
		certificatePattern, versionPattern, acuPattern, imageTagPattern, keyNamePattern, healthPathPattern,
		suppressRulePattern, suppressResourcePattern, bucketSuffixPattern, accountPattern, uuidPattern, userPattern}
	for _, s := range secretValues {
		all = append(all, s.re)
	}
	for _, l := range all {
		if _, err := regexp.Compile(l.String()); err != nil {
			t.Errorf("%q: %v", l.String(), err)
		}
		if l.get() == nil {
			t.Errorf("%q did not compile", l.String())
		}
	}
}
