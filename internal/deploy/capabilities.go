package deploy

import (
	"encoding/json"
	"fmt"
)

// iamNameProperty maps each IAM resource type that needs a capability to the
// property that gives it a custom name ("" when the type has none). A custom
// name needs CAPABILITY_NAMED_IAM; AWS::IAM::Policy.PolicyName names an inline
// policy, not an IAM entity, and does not count.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html#using-iam-capabilities
var iamNameProperty = map[string]string{
	"AWS::IAM::AccessKey":           "",
	"AWS::IAM::Group":               "GroupName",
	"AWS::IAM::InstanceProfile":     "InstanceProfileName",
	"AWS::IAM::ManagedPolicy":       "ManagedPolicyName",
	"AWS::IAM::Policy":              "",
	"AWS::IAM::Role":                "RoleName",
	"AWS::IAM::User":                "UserName",
	"AWS::IAM::UserToGroupAddition": "",
}

// capTemplate is the part of a template that decides capabilities.
type capTemplate struct {
	Transform json.RawMessage `json:"Transform"`
	Resources map[string]struct {
		Type       string                     `json:"Type"`
		Properties map[string]json.RawMessage `json:"Properties"`
	} `json:"Resources"`
}

// DetectCapabilities returns the capabilities a JSON template needs, in the
// order IAM, NAMED_IAM, AUTO_EXPAND. Both IAM capabilities are listed when a
// name is set, which is what the console and SAM send.
func DetectCapabilities(body []byte) ([]string, error) {
	var t capTemplate
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	iam, named := false, false
	for _, r := range t.Resources {
		prop, ok := iamNameProperty[r.Type]
		if !ok {
			continue
		}
		iam = true
		if v, set := r.Properties[prop]; prop != "" && set && string(v) != "null" {
			named = true
		}
	}
	var caps []string
	if iam {
		caps = append(caps, "CAPABILITY_IAM")
	}
	if named {
		caps = append(caps, "CAPABILITY_NAMED_IAM")
	}
	if len(t.Transform) > 0 && string(t.Transform) != "null" {
		caps = append(caps, "CAPABILITY_AUTO_EXPAND")
	}
	return caps, nil
}
