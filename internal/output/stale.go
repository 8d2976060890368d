package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"syscall"
)

// Stale lists the files under root that match one of the glob patterns
// (slash-separated, relative to root) but are not in the fresh set: files
// cfngen generated before that a fresh render no longer produces, such as
// the params files of a removed environment. Sorted, relative to root.
func Stale(root string, fresh []File, patterns []string) ([]string, error) {
	keep := map[string]bool{}
	for _, f := range fresh {
		keep[path.Clean(filepath.ToSlash(f.Path))] = true
	}
	var out []string
	for _, p := range patterns {
		matches, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			return nil, fmt.Errorf("pattern %s: %w", p, err)
		}
		for _, m := range matches {
			st, err := os.Lstat(m)
			if err != nil || !st.Mode().IsRegular() {
				continue
			}
			rel, err := filepath.Rel(root, m)
			if err != nil {
				return nil, err
			}
			rel = filepath.ToSlash(rel)
			if !keep[rel] && !slices.Contains(out, rel) {
				out = append(out, rel)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// Changed returns the files whose content on disk differs from theirs (or
// that are missing), in order.
func Changed(root string, files []File) ([]File, error) {
	diffs, err := Compare(root, files)
	if err != nil {
		return nil, err
	}
	changed := map[string]bool{}
	for _, d := range diffs {
		changed[d.Path] = true
	}
	var out []File
	for _, f := range files {
		if changed[filepath.Join(root, f.Path)] {
			out = append(out, f)
		}
	}
	return out, nil
}

// Sync writes files and removes the stale ones (paths relative to root) as
// one set: if any step fails, the old files are put back and the removed
// ones restored. Directories that removing leaves empty are removed too.
func Sync(root string, files []File, stale []string) (err error) {
	// An interrupt waits until the set is complete or rolled back.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer func() {
		signal.Stop(sig)
		select {
		case s := <-sig:
			if err == nil {
				err = fmt.Errorf("interrupted (%v) after every file was written", s)
			}
		default:
		}
	}()
	w := &writer{}
	defer func() {
		if err == nil {
			err = w.commit()
			if err == nil {
				removeEmptyDirs(root, stale)
			}
			return
		}
		if rerr := w.rollback(); rerr != nil {
			err = fmt.Errorf("%w; %w", err, rerr)
		}
	}()
	for _, f := range files {
		if err := w.stage(filepath.Join(root, f.Path), f.Data); err != nil {
			return err
		}
	}
	for i, f := range files {
		if err := w.swap(i, filepath.Join(root, f.Path)); err != nil {
			return err
		}
	}
	for _, s := range stale {
		p := filepath.Join(root, filepath.FromSlash(s))
		tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*.tmp")
		if err != nil {
			return fmt.Errorf("remove %s: %w", p, unwrapPath(err))
		}
		tmp.Close()
		backup := tmp.Name() + ".old"
		os.Remove(tmp.Name())
		if err := rename(p, backup); err != nil {
			return fmt.Errorf("remove %s: %w", p, unwrapPath(err))
		}
		w.done = append(w.done, swapped{p, backup})
	}
	return nil
}

// removeEmptyDirs removes the directories of the removed files that are
// now empty, up to (not including) root.
func removeEmptyDirs(root string, removed []string) {
	for _, s := range removed {
		for d := filepath.Dir(filepath.Join(root, filepath.FromSlash(s))); d != filepath.Clean(root) && d != "." && d != "/"; d = filepath.Dir(d) {
			if err := os.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
				break // not empty
			}
		}
	}
}
