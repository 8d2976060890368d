package render

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/policies"
)

func itoa(i int) string { return strconv.Itoa(i) }

// retainExceptOnCreate keeps data-holding resources when the stack is
// deleted, but lets a failed first create roll them back: a retained,
// fixed-name bucket would otherwise block every retry.
const retainExceptOnCreate = policies.DeletionPolicy("RetainExceptOnCreate")
