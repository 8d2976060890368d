package cfn

import (
	"fmt"
	"sort"
)

// CloudFormation's limits for one template.
const (
	MaxBodyBytes  = 51200   // create-stack --template-body
	MaxURLBytes   = 1000000 // --template-url (S3): "may not exceed 1000000 bytes"
	MaxResources  = 500
	MaxParameters = 200
	MaxOutputs    = 200
	MaxMappings   = 200
)

// WarnPercent is the share of a limit from which cfngen warns.
const WarnPercent = 90

// Usage is one measured quantity against its limit.
type Usage struct {
	Name  string `json:"name"`
	Used  int    `json:"used"`
	Limit int    `json:"limit"`
}

// Percent is Used as a share of Limit.
func (u Usage) Percent() float64 { return 100 * float64(u.Used) / float64(u.Limit) }

// Usage measures the document and its encoded size against the limits.
func (d *Doc) Usage(encodedBytes int) []Usage {
	count := map[string]int{}
	for _, s := range d.Sections {
		count[s.Name] = len(s.Entries)
	}
	return []Usage{
		{"bytes", encodedBytes, MaxBodyBytes},
		{"resources", count["Resources"], MaxResources},
		{"parameters", count["Parameters"], MaxParameters},
		{"outputs", count["Outputs"], MaxOutputs},
		{"mappings", count["Mappings"], MaxMappings},
	}
}

// GroupSize is the number of encoded bytes one part of the template takes.
type GroupSize struct {
	Name  string `json:"name"`
	Bytes int    `json:"bytes"`
}

// Breakdown attributes the encoded bytes to components: each resource to its
// group, and the Parameters, Mappings, Conditions, Rules and Outputs sections
// to themselves, largest first. Sizes are measured by encoding each part on
// its own at its place in the document.
func (d *Doc) Breakdown(format string) ([]GroupSize, error) {
	sizes := map[string]int{}
	for _, s := range d.Sections {
		for _, e := range s.Entries {
			part := &Doc{Sections: []Section{{Name: s.Name, Entries: []Entry{e}}}}
			enc, err := part.Encode(format)
			if err != nil {
				return nil, err
			}
			empty, err := (&Doc{Sections: []Section{{Name: s.Name}}}).Encode(format)
			if err != nil {
				return nil, err
			}
			group := s.Name
			if s.Name == "Resources" && e.Group != "" {
				group = e.Group
			}
			sizes[group] += len(enc) - len(empty)
		}
	}
	out := make([]GroupSize, 0, len(sizes))
	for name, b := range sizes {
		out = append(out, GroupSize{name, b})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Encode writes the document in the given format, "yaml" or "json".
func (d *Doc) Encode(format string) ([]byte, error) {
	switch format {
	case "yaml", "":
		return d.YAML()
	case "json":
		return d.JSON()
	}
	return nil, fmt.Errorf("unknown format %q (allowed: yaml, json)", format)
}
