package cli

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stream-events/stream-events/internal/awsvars"
	"github.com/stream-events/stream-events/internal/vars"
)

// newRemote returns the resolver for variables that need AWS.
func newRemote(cfg aws.Config) vars.Remote { return awsvars.New(cfg) }
