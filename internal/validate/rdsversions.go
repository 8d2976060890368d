package validate

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// rdsVersionData lists the RDS engine versions AWS offers and those it has
// deprecated, per resource kind and engine (tools/rdsversions.py writes it
// from cfn-lint's data; its first line names the source and date).
//
//go:embed rds_versions.txt
var rdsVersionData string

type rdsVersionSet struct {
	available, deprecated map[string]bool
	newest                map[string]string // major -> newest version listed
	majors                []string
}

var (
	rdsVersionsOnce sync.Once
	rdsVersions     map[string]*rdsVersionSet // "instance postgres" -> set
	rdsSource       string
)

func loadRDSVersions() {
	rdsVersions = map[string]*rdsVersionSet{}
	for _, line := range strings.Split(rdsVersionData, "\n") {
		if src, ok := strings.CutPrefix(line, "# source: "); ok {
			rdsSource = src
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		key := f[0] + " " + f[1]
		set := rdsVersions[key]
		if set == nil {
			set = &rdsVersionSet{available: map[string]bool{}, deprecated: map[string]bool{}, newest: map[string]string{}}
			rdsVersions[key] = set
		}
		for _, v := range f[3:] {
			if f[2] == "deprecated" {
				set.deprecated[v] = true
				continue
			}
			set.available[v] = true
			major := versionMajor(f[1], v)
			if n, ok := set.newest[major]; !ok {
				set.majors = append(set.majors, major)
				set.newest[major] = v
			} else if compareVersions(v, n) > 0 {
				set.newest[major] = v
			}
		}
	}
}

// versionMajor is the major version: the first field for PostgreSQL 10
// and later ("16" of 16.4, of 11.22-rds.20240418), the first two for
// PostgreSQL 9 and the other engines ("9.6", "8.0" of 8.0.36 and of
// 8.0.mysql_aurora.3.05.2, "10.11" of MariaDB 10.11.8).
func versionMajor(engine, v string) string {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '-' })
	if len(fields) == 0 {
		return v
	}
	n, _ := strconv.Atoi(fields[0])
	if strings.Contains(engine, "postgres") && n >= 10 || len(fields) == 1 {
		return fields[0]
	}
	return fields[0] + "." + fields[1]
}

// compareVersions orders versions field by field, numbers as numbers.
func compareVersions(a, b string) int {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	}
	x, y := split(a), split(b)
	for i := 0; i < len(x) && i < len(y); i++ {
		m, errM := strconv.Atoi(x[i])
		n, errN := strconv.Atoi(y[i])
		switch {
		case errM == nil && errN == nil && m != n:
			if m < n {
				return -1
			}
			return 1
		case (errM != nil || errN != nil) && x[i] != y[i]:
			return strings.Compare(x[i], y[i])
		}
	}
	return len(x) - len(y)
}

// rdsVersionProblem says what is wrong with an engine version of a DB
// instance or cluster ("instance" or "cluster"), or "". It never calls a
// version wrong that the data cannot judge: a newer major or a newer minor
// than the data lists, an engine it does not list.
func rdsVersionProblem(kind, engine, version string) string {
	rdsVersionsOnce.Do(loadRDSVersions)
	set := rdsVersions[kind+" "+strings.ToLower(engine)]
	if set == nil {
		return ""
	}
	if set.deprecated[version] && strings.Contains(version, ".") {
		return engine + " " + version + " is deprecated by RDS (" + rdsSource + ")"
	}
	if set.available[version] {
		return ""
	}
	major := versionMajor(engine, version)
	newest, known := set.newest[major]
	switch {
	case !known:
		for _, m := range set.majors {
			if compareVersions(m, major) < 0 {
				return "" // newer than some major listed: a major the data does not know yet
			}
		}
		return engine + " " + version + " is older than every version RDS offers (" + rdsSource + ")"
	case compareVersions(version, newest) > 0:
		return "" // newer than the data
	}
	return engine + " " + version + " is not a version RDS offered (newest " + major + ": " + newest + "; " + rdsSource + ")"
}
