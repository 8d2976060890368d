// Command benchproc times the cfngen binary as a process: the floor of
// starting it at all (cfngen --version) against a real render into a fresh
// temporary directory. It reports median, min and max wall time and the
// median peak RSS of each, over interleaved runs.
//
//	go run ./internal/benchproc -bin bin/cfngen -runs 15
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cfngen/cfngen/internal/layout"
)

// sample is one run: wall time and peak resident set size in KiB.
type sample struct {
	wall   time.Duration
	rssKiB int64
}

// command is one way of running the binary; args is called per run so that
// each render gets its own output directory.
type command struct {
	name    string
	bin     string // "" for the cfngen binary
	args    func(dir string) []string
	workdir string // "" for the fresh temporary directory
	samples []sample
}

func main() {
	bin := flag.String("bin", "bin/cfngen", "cfngen binary to run")
	runs := flag.Int("runs", 15, "runs per command, the first discarded as warm-up (minimum 10)")
	lintRuns := flag.Int("lint-runs", 3, "runs of cfn-lint on the same templates, for comparison (0: skip)")
	flag.Parse()
	if *runs < 10 {
		fail("-runs %d: need at least 10", *runs)
	}
	if st, err := os.Stat(*bin); err != nil || st.IsDir() {
		fail("binary %s not found: run make build first", *bin)
	}

	floor := &command{name: "cfngen --version", args: func(string) []string { return []string{"--version"} }}
	work := &command{name: "cfngen render --out-dir <tmp>", args: func(dir string) []string { return []string{"render", "--out-dir", dir} }}
	repo, err := os.Getwd()
	if err != nil {
		fail("%v", err)
	}
	var templates, templatesOnly []string
	for _, v := range layout.Variants {
		templates = append(templates, layout.TemplatePath(v, "yaml"), "--params", layout.DefaultParamsPath(v))
		templatesOnly = append(templatesOnly, layout.TemplatePath(v, "yaml"))
	}
	check := &command{name: "cfngen validate (both + params)", workdir: repo, args: func(string) []string { return append([]string{"validate"}, templates...) }}
	forecast := &command{name: "cfngen diff (committed vs render)", workdir: repo, args: func(string) []string { return []string{"diff"} }}
	cmds := []*command{floor, work, check, forecast}

	// Interleave: run i of every command before run i+1 of any, so that
	// machine noise hits both alike.
	for i := 0; i < *runs; i++ {
		for _, c := range cmds {
			s, err := runOnce(*bin, c)
			if err != nil {
				fail("%s (run %d): %v", c.name, i+1, err)
			}
			if i > 0 { // run 0 is the warm-up
				c.samples = append(c.samples, s)
			}
		}
	}

	fmt.Printf("machine: %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel())
	fmt.Printf("binary:  %s, %d runs per command after 1 warm-up, interleaved\n\n", *bin, *runs-1)
	fmt.Printf("%-36s %10s %10s %10s %15s\n", "command", "median ms", "min ms", "max ms", "median RSS MiB")
	for _, c := range cmds {
		walls := make([]time.Duration, len(c.samples))
		rss := make([]int64, len(c.samples))
		for i, s := range c.samples {
			walls[i], rss[i] = s.wall, s.rssKiB
		}
		slices.Sort(walls)
		fmt.Printf("%-36s %10.2f %10.2f %10.2f %15.1f\n", c.name,
			ms(median(walls)), ms(walls[0]), ms(walls[len(walls)-1]), float64(median(rss))/1024)
	}
	fmt.Printf("\nrender / floor (median wall): %.2fx\n", float64(medianWall(work))/float64(medianWall(floor)))
	fmt.Printf("validate / floor (median wall): %.2fx\n", float64(medianWall(check))/float64(medianWall(floor)))
	fmt.Printf("diff / floor (median wall): %.2fx\n", float64(medianWall(forecast))/float64(medianWall(floor)))

	if *lintRuns > 0 {
		lint, err := exec.LookPath("cfn-lint")
		if err != nil {
			fmt.Println("\ncfn-lint: not installed, no comparison")
			return
		}
		c := &command{name: "cfn-lint (both templates)", bin: lint, workdir: repo,
			args: func(string) []string {
				return templatesOnly
			}}
		for i := 0; i < *lintRuns; i++ {
			s, err := runOnce(*bin, c)
			if err != nil {
				fail("%s: %v", c.name, err)
			}
			c.samples = append(c.samples, s)
		}
		fmt.Printf("%-36s %10.2f ms median of %d runs: cfngen validate is %.0fx faster\n", c.name, ms(medianWall(c)), *lintRuns,
			float64(medianWall(c))/float64(medianWall(check)))
	}
}

// runOnce runs the binary once, in a fresh temporary directory that is
// removed afterwards, and measures it.
func runOnce(bin string, c *command) (sample, error) {
	dir, err := os.MkdirTemp("", "benchproc-")
	if err != nil {
		return sample{}, err
	}
	defer os.RemoveAll(dir)
	if c.bin != "" {
		bin = c.bin
	}
	cmd := exec.Command(bin, c.args(dir)...)
	if c.workdir != "" {
		cmd.Dir = c.workdir
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%w\n%s", err, stderr.String())
	}
	s := sample{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rssKiB = int64(ru.Maxrss) // kilobytes on Linux
	}
	return s, nil
}

func medianWall(c *command) time.Duration {
	walls := make([]time.Duration, len(c.samples))
	for i, s := range c.samples {
		walls[i] = s.wall
	}
	return median(walls)
}

// median returns the middle value (mean of the two middle ones for an even count).
func median[T time.Duration | int64](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cpuModel returns the first "model name" of /proc/cpuinfo, or "CPU model unknown".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "CPU model unknown"
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchproc: "+format+"\n", args...)
	os.Exit(1)
}
