package model

import (
	"fmt"
	"reflect"
	"strings"

	yaml "sigs.k8s.io/yaml/goyaml.v3"
)

// Starter returns the commented cfngen.yaml that `cfngen init` writes: every
// field with its description and its default value, so that rendering with
// it gives exactly the built-in default output.
func Starter() []byte {
	b := Default()
	// A new project chooses the subnet order that never moves a subnet
	// (the built-in default leaves it unset: both orders agree for two zones).
	b.Network.SubnetOrder = "stable"
	var w strings.Builder
	w.WriteString(`# cfngen.yaml: the backend that cfngen renders into CloudFormation templates
# and parameter files. Every value here is the built-in default: change what
# you need and delete the rest. Editors complete and check this file with the
# JSON Schema from "cfngen schema" (see the README).
#
# Secrets never go in this file: the database master password is generated in
# Secrets Manager.
`)
	writeStruct(&w, reflect.ValueOf(b), 0)
	w.WriteString("\n# Environments served by the templates (the Environment parameter), with what\n" +
		"# each changes through the EnvConfig mapping. An environment with a params\n" +
		"# section gets params/<environment>/params.json and params-with-rds.json;\n" +
		"# the default environment's go to params/params.json and params-with-rds.json.\n")
	w.WriteString("environments:\n")
	for _, e := range b.Environments {
		fmt.Fprintf(&w, "  %s:\n", e.Name)
		v := reflect.ValueOf(e)
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("yaml")
			if tag == "" || tag == "-" || (tag == "params" && e.Name != b.DefaultEnvironment) {
				continue
			}
			writeField(&w, f, v.Field(i), 4)
		}
	}
	return []byte(w.String())
}

func writeStruct(w *strings.Builder, v reflect.Value, indent int) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag := f.Tag.Get("yaml"); tag == "" || tag == "-" {
			continue
		}
		writeField(w, f, v.Field(i), indent)
	}
}

func writeField(w *strings.Builder, f reflect.StructField, v reflect.Value, indent int) {
	pad := strings.Repeat(" ", indent)
	if indent == 0 {
		w.WriteString("\n")
	}
	if d := f.Tag.Get("desc"); d != "" {
		fmt.Fprintf(w, "%s# %s\n", pad, d)
	}
	key := f.Tag.Get("yaml")
	if d := f.Tag.Get("derived"); d != "" {
		// A derived default written out would stop following what it
		// derives from: leave it commented.
		fmt.Fprintf(w, "%s# %s: (default: %s)\n", pad, key, d)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		fmt.Fprintf(w, "%s%s:\n", pad, key)
		writeStruct(w, v, indent+2)
	case reflect.Slice:
		if v.Len() == 0 {
			fmt.Fprintf(w, "%s%s: []\n", pad, key)
			return
		}
		fmt.Fprintf(w, "%s%s:\n", pad, key)
		for i := 0; i < v.Len(); i++ {
			fmt.Fprintf(w, "%s  - %s\n", pad, inline(v.Index(i)))
		}
	case reflect.Map:
		if v.Len() == 0 {
			fmt.Fprintf(w, "%s%s: {}\n", pad, key)
			return
		}
		fmt.Fprintf(w, "%s%s:\n", pad, key)
		iter := v.MapRange()
		var lines []string
		for iter.Next() {
			lines = append(lines, fmt.Sprintf("%s  %s: %s", pad, scalar(iter.Key().Interface()), scalar(iter.Value().Interface())))
		}
		sortStrings(lines)
		for _, l := range lines {
			w.WriteString(l + "\n")
		}
	default:
		fmt.Fprintf(w, "%s%s: %s\n", pad, key, scalar(v.Interface()))
	}
}

// inline writes a list item: a scalar, or a struct as {key: value, ...}.
func inline(v reflect.Value) string {
	if v.Kind() != reflect.Struct {
		return scalar(v.Interface())
	}
	var parts []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		parts = append(parts, t.Field(i).Tag.Get("yaml")+": "+scalar(v.Field(i).Interface()))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// scalar writes one value as YAML reads it back: strings that could be read
// as numbers or booleans are quoted.
func scalar(x any) string {
	out, err := yaml.Marshal(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	s := strings.TrimSuffix(string(out), "\n")
	if str, ok := x.(string); ok && s == str && strings.ContainsAny(str, ".") && strings.Trim(str, "0123456789.") == "" {
		return "'" + str + "'" // versions such as 17.9 stay text
	}
	return s
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
