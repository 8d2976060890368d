package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cfngen/cfngen/internal/model"
)

// DefaultConfig is the config file cfngen reads when it exists and --config
// is not given.
const DefaultConfig = "cfngen.yaml"

// builtInDefaults names the model's source when no config file is found.
const builtInDefaults = "built-in defaults"

// loadModel reads and validates the backend model: from path, or from
// cfngen.yaml when it exists, or the built-in defaults. It returns the model
// and the name of its source for messages.
func loadModel(path string) (model.Backend, string, error) {
	explicit := path != ""
	if !explicit {
		path = DefaultConfig
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			b := model.Default()
			return b, builtInDefaults, b.Validate(builtInDefaults, nil)
		}
		return model.Backend{}, path, fmt.Errorf("read config: %w", err)
	}
	b, lines, err := model.Parse(data, path)
	if err != nil {
		return b, path, err
	}
	return b, path, b.Validate(path, lines)
}
