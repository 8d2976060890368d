package cli

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// numbered returns "line 1\n" ... "line n\n" with the 1-based lines in
// replace swapped for their values.
func numbered(n int, replace map[int]string) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		if s, ok := replace[i]; ok {
			sb.WriteString(s)
		} else {
			fmt.Fprintf(&sb, "line %d", i)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{
			name: "equal",
			a:    "x\ny\nz\n",
			b:    "x\ny\nz\n",
			want: "",
		},
		{
			name: "both empty",
			a:    "",
			b:    "",
			want: "",
		},
		{
			name: "one line changed in three",
			a:    "x\ny\nz\n",
			b:    "x\nY\nz\n",
			want: "--- a\n+++ b\n" +
				"@@ -1,3 +1,3 @@\n" +
				" x\n" +
				"-y\n" +
				"+Y\n" +
				" z\n",
		},
		{
			name: "one line changed in twenty: one hunk, three lines of context",
			a:    numbered(20, nil),
			b:    numbered(20, map[int]string{10: "LINE 10"}),
			want: "--- a\n+++ b\n" +
				"@@ -7,7 +7,7 @@\n" +
				" line 7\n" +
				" line 8\n" +
				" line 9\n" +
				"-line 10\n" +
				"+LINE 10\n" +
				" line 11\n" +
				" line 12\n" +
				" line 13\n",
		},
		{
			name: "insertion at start",
			a:    "1\n2\n3\n4\n5\n",
			b:    "0\n1\n2\n3\n4\n5\n",
			want: "--- a\n+++ b\n" +
				"@@ -1,3 +1,4 @@\n" +
				"+0\n" +
				" 1\n" +
				" 2\n" +
				" 3\n",
		},
		{
			name: "deletion at end",
			a:    "1\n2\n3\n4\n5\n",
			b:    "1\n2\n3\n4\n",
			want: "--- a\n+++ b\n" +
				"@@ -2,4 +2,3 @@\n" +
				" 2\n" +
				" 3\n" +
				" 4\n" +
				"-5\n",
		},
		{
			name: "new file",
			a:    "",
			b:    "a\nb\n",
			want: "--- a\n+++ b\n" +
				"@@ -0,0 +1,2 @@\n" +
				"+a\n" +
				"+b\n",
		},
		{
			name: "file emptied",
			a:    "a\nb\n",
			b:    "",
			want: "--- a\n+++ b\n" +
				"@@ -1,2 +0,0 @@\n" +
				"-a\n" +
				"-b\n",
		},
		{
			name: "one line replaced by two: deletions before insertions",
			a:    "a\nb\nc\n",
			b:    "a\nB\nC\nc\n",
			want: "--- a\n+++ b\n" +
				"@@ -1,3 +1,4 @@\n" +
				" a\n" +
				"-b\n" +
				"+B\n" +
				"+C\n" +
				" c\n",
		},
		{
			name: "seven unchanged lines between changes: two hunks",
			a:    numbered(20, nil),
			b:    numbered(20, map[int]string{3: "THREE", 11: "ELEVEN"}),
			want: "--- a\n+++ b\n" +
				"@@ -1,6 +1,6 @@\n" +
				" line 1\n" +
				" line 2\n" +
				"-line 3\n" +
				"+THREE\n" +
				" line 4\n" +
				" line 5\n" +
				" line 6\n" +
				"@@ -8,7 +8,7 @@\n" +
				" line 8\n" +
				" line 9\n" +
				" line 10\n" +
				"-line 11\n" +
				"+ELEVEN\n" +
				" line 12\n" +
				" line 13\n" +
				" line 14\n",
		},
		{
			name: "six unchanged lines between changes: one hunk",
			a:    numbered(20, nil),
			b:    numbered(20, map[int]string{3: "THREE", 10: "TEN"}),
			want: "--- a\n+++ b\n" +
				"@@ -1,13 +1,13 @@\n" +
				" line 1\n" +
				" line 2\n" +
				"-line 3\n" +
				"+THREE\n" +
				" line 4\n" +
				" line 5\n" +
				" line 6\n" +
				" line 7\n" +
				" line 8\n" +
				" line 9\n" +
				"-line 10\n" +
				"+TEN\n" +
				" line 11\n" +
				" line 12\n" +
				" line 13\n",
		},
		{
			name: "second hunk after an insertion has shifted new line numbers",
			a:    numbered(20, nil),
			b: strings.Replace(numbered(20, map[int]string{15: "FIFTEEN"}),
				"line 1\n", "line 1\ninserted\n", 1),
			want: "--- a\n+++ b\n" +
				"@@ -1,4 +1,5 @@\n" +
				" line 1\n" +
				"+inserted\n" +
				" line 2\n" +
				" line 3\n" +
				" line 4\n" +
				"@@ -12,7 +13,7 @@\n" +
				" line 12\n" +
				" line 13\n" +
				" line 14\n" +
				"-line 15\n" +
				"+FIFTEEN\n" +
				" line 16\n" +
				" line 17\n" +
				" line 18\n",
		},
		{
			name: "newline added at end of file",
			a:    "x\ny",
			b:    "x\ny\n",
			want: "--- a\n+++ b\n" +
				"@@ -1,2 +1,2 @@\n" +
				" x\n" +
				"-y\n" +
				"\\ No newline at end of file\n" +
				"+y\n",
		},
		{
			name: "last line without newline changed",
			a:    "x\ny",
			b:    "x\nz",
			want: "--- a\n+++ b\n" +
				"@@ -1,2 +1,2 @@\n" +
				" x\n" +
				"-y\n" +
				"\\ No newline at end of file\n" +
				"+z\n" +
				"\\ No newline at end of file\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unifiedDiff("a", "b", tt.a, tt.b)
			if got != tt.want {
				t.Errorf("unifiedDiff(%q, %q)\n got: %q\nwant: %q\n--- got:\n%s--- want:\n%s", tt.a, tt.b, got, tt.want, got, tt.want)
			}
			if tt.want == "" {
				return
			}
			if back, err := applyDiff(tt.a, got); err != nil || back != tt.b {
				t.Errorf("applying the diff to a: got %q, %v; want %q", back, err, tt.b)
			}
		})
	}
}

// TestUnifiedDiffApplies checks on random texts that every diff, applied to
// the old text, gives the new one: hunk headers, context and order agree.
func TestUnifiedDiffApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var sb strings.Builder
		for range r.IntN(30) {
			sb.WriteString(strconv.Itoa(r.IntN(6)))
			sb.WriteByte('\n')
		}
		s := sb.String()
		if s != "" && r.IntN(4) == 0 {
			s = strings.TrimSuffix(s, "\n")
		}
		return s
	}
	for n := range 2000 {
		a, b := text(), text()
		d := unifiedDiff("a", "b", a, b)
		if (d == "") != (a == b) {
			t.Fatalf("case %d: unifiedDiff(%q, %q) = %q", n, a, b, d)
		}
		if d == "" {
			continue
		}
		got, err := applyDiff(a, d)
		if err != nil || got != b {
			t.Fatalf("case %d: applying\n%s\nto %q: got %q, %v; want %q", n, d, a, got, err, b)
		}
	}
}

// applyDiff is a strict patch(1) for the output of unifiedDiff: context and
// removed lines must match a exactly, and the counts in every header must
// match the hunk.
func applyDiff(a, diff string) (string, error) {
	old := strings.SplitAfter(a, "\n") // each line with its "\n"
	if old[len(old)-1] == "" {
		old = old[:len(old)-1]
	}
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) < 3 || lines[0] != "--- a\n" || lines[1] != "+++ b\n" || lines[len(lines)-1] != "" {
		return "", fmt.Errorf("bad header or unterminated diff")
	}
	lines = lines[2 : len(lines)-1]
	var out []string
	pos := 0 // next line of old to use, 0-based
	for k := 0; k < len(lines); {
		var sa, la, sb, lb int
		if _, err := fmt.Sscanf(lines[k], "@@ -%d,%d +%d,%d @@\n", &sa, &la, &sb, &lb); err != nil {
			return "", fmt.Errorf("line %q: want a hunk header: %v", lines[k], err)
		}
		k++
		first := sa - 1 // 0-based first line of the hunk in old
		if la == 0 {
			first = sa // an empty range names the line before it
		}
		if first < pos || first > len(old) {
			return "", fmt.Errorf("hunk -%d,%d starts at line %d of old, already at %d", sa, la, first, pos)
		}
		out = append(out, old[pos:first]...)
		pos = first
		if wantB := len(out) + 1; lb > 0 && sb != wantB || lb == 0 && sb != wantB-1 {
			return "", fmt.Errorf("hunk +%d,%d: new text is at line %d", sb, lb, wantB)
		}
		na, nb := 0, 0
		for k < len(lines) && !strings.HasPrefix(lines[k], "@@") {
			l := lines[k]
			k++
			text := l[1:]
			if k < len(lines) && lines[k] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				k++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(old) || old[pos] != text {
					return "", fmt.Errorf("line %q does not match old line %d", l, pos+1)
				}
				pos++
				na++
				if l[0] == ' ' {
					out = append(out, text)
					nb++
				}
			case '+':
				out = append(out, text)
				nb++
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
		}
		if na != la || nb != lb {
			return "", fmt.Errorf("hunk -%d,%d +%d,%d has %d old and %d new lines", sa, la, sb, lb, na, nb)
		}
	}
	out = append(out, old[pos:]...)
	return strings.Join(out, ""), nil
}
