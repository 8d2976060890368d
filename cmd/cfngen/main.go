// Command cfngen renders the backend's CloudFormation templates and parameter files.
package main

import (
	"os"

	"github.com/cfngen/cfngen/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.System())) }
