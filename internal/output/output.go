// Package output writes cfngen's generated files: all of a set or none of
// it. It is the one place below internal/cli that touches the file system.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cfngen/cfngen/internal/layout"
)

// File is one file to write, relative to the output root.
type File = layout.File

// rename and remove are os.Rename and os.Remove; tests replace them to
// make a step fail.
var (
	rename = os.Rename
	remove = os.Remove
)

// Write writes every file to a temporary name first and renames them only
// once all were written. Files it replaces are kept aside until every rename
// succeeded, and put back if one fails, so an error leaves the old set (and
// no new directories) in place. If putting the old set back fails too, the
// error says which files are left in which state.
func Write(root string, files []File) error { return Sync(root, files, nil) }

// WriteOne writes a single file through a temporary file and a rename,
// creating its directory if needed.
func WriteOne(path string, data []byte) error {
	return Write("", []File{{Path: path, Data: data}})
}

// writer keeps what Write has done so far, to finish or undo it.
type writer struct {
	temps   []string // staged temporary files, by index of the file set
	created []string // directories created, parents first
	done    []swapped
}

type swapped struct{ path, backup string }

// stage writes data to a temporary file beside path.
func (w *writer) stage(path string, data []byte) error {
	dirs, err := mkdirs(filepath.Dir(path))
	w.created = append(w.created, dirs...)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	w.temps = append(w.temps, tmp.Name())
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(werr))
	}
	return nil
}

// swap moves the staged file i to path, keeping the old file aside.
func (w *writer) swap(i int, path string) error {
	backup := ""
	if st, err := os.Lstat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("write %s: is a directory", path)
		}
		backup = w.temps[i] + ".old"
		if err := rename(path, backup); err != nil {
			return fmt.Errorf("write %s: %w", path, unwrapPath(err))
		}
	}
	if err := rename(w.temps[i], path); err != nil {
		err = fmt.Errorf("write %s: %w", path, unwrapPath(err))
		if backup != "" {
			if rerr := rename(backup, path); rerr != nil {
				return fmt.Errorf("%w; the old file is left at %s: %w", err, backup, unwrapPath(rerr))
			}
		}
		return err
	}
	w.temps[i] = ""
	w.done = append(w.done, swapped{path, backup})
	return nil
}

// commit removes the old files kept aside.
func (w *writer) commit() error {
	var errs []error
	for _, s := range w.done {
		if s.backup != "" {
			if err := remove(s.backup); err != nil {
				errs = append(errs, fmt.Errorf("remove the old copy %s: %w", s.backup, unwrapPath(err)))
			}
		}
	}
	return errors.Join(errs...)
}

// rollback puts the old files back and removes what was staged or created.
// It returns what it could not undo, naming each file.
func (w *writer) rollback() error {
	var errs []error
	for i := len(w.done) - 1; i >= 0; i-- {
		s := w.done[i]
		if s.backup != "" {
			if err := rename(s.backup, s.path); err != nil {
				errs = append(errs, fmt.Errorf("could not restore %s (the old file is at %s): %w", s.path, s.backup, unwrapPath(err)))
			}
		} else if err := remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("could not remove the new %s: %w", s.path, unwrapPath(err)))
		}
	}
	for _, t := range w.temps {
		if t == "" {
			continue
		}
		if err := remove(t); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("could not remove the temporary %s: %w", t, unwrapPath(err)))
		}
	}
	for i := len(w.created) - 1; i >= 0; i-- {
		os.Remove(w.created[i]) // only removes directories left empty; one still in use is not an error
	}
	if len(errs) > 0 {
		return fmt.Errorf("rollback incomplete, files are mixed: %w", errors.Join(errs...))
	}
	return nil
}

// unwrapPath drops the *PathError wrapper whose path the message already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// mkdirs creates dir and its missing parents, returning those it created.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append([]string{d}, missing...)
	}
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			return created, fmt.Errorf("create directory %s: %w", d, unwrapPath(err))
		}
		created = append(created, d)
	}
	return created, nil
}

// Difference is a file whose content on disk differs from a fresh one.
type Difference struct {
	Path    string // under the root
	OnDisk  []byte // nil when the file is missing
	Fresh   []byte
	Missing bool
}

// Compare reads each file under root and returns those that differ.
func Compare(root string, files []File) ([]Difference, error) {
	var out []Difference
	for _, f := range files {
		path := filepath.Join(root, f.Path)
		old, err := os.ReadFile(path)
		missing := errors.Is(err, fs.ErrNotExist)
		if err != nil && !missing {
			return nil, err
		}
		if !missing && bytes.Equal(old, f.Data) {
			continue
		}
		out = append(out, Difference{Path: path, OnDisk: old, Fresh: f.Data, Missing: missing})
	}
	return out, nil
}
