package render

import "github.com/awslabs/goformation/v7/cloudformation/policies"

// retainExceptOnCreate keeps data-holding resources when the stack is
// deleted, but lets a failed first create roll them back: a retained,
// fixed-name bucket would otherwise block every retry.
const retainExceptOnCreate = policies.DeletionPolicy("RetainExceptOnCreate")
