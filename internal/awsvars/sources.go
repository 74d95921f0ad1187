package awsvars

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// resolveCF returns an output of a stack, the address being
// "stackName.outputKey" and param an optional region. Neither stack names
// nor output keys may contain dots, so the first dot splits them.
func (s *Source) resolveCF(ctx context.Context, param, address string) (any, error) {
	stack, key, ok := strings.Cut(address, ".")
	if !ok || stack == "" || key == "" {
		return nil, fmt.Errorf("unsupported address %q in variable source \"cf\": expected <stack-name>.<output-key>", address)
	}
	region := strings.TrimSpace(param)
	outputs, err := s.once(ctx, "cf-stack\x00"+region+"\x00"+stack, func(ctx context.Context) (any, error) {
		return s.stackOutputs(ctx, region, stack)
	})
	if err != nil {
		return nil, err
	}
	v, ok := outputs.(map[string]string)[key]
	if !ok {
		return nil, &NotFoundError{What: fmt.Sprintf("output %q of stack %q%s", key, stack, inRegion(region))}
	}
	return v, nil
}

// stackOutputs fetches a stack's outputs once for all its ${cf:} variables.
func (s *Source) stackOutputs(ctx context.Context, region, stack string) (map[string]string, error) {
	out, err := s.cfn(region).DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist") {
			return nil, &NotFoundError{What: fmt.Sprintf("stack %q%s", stack, inRegion(region))}
		}
		return nil, fmt.Errorf("describe stack %s: %w", stack, err)
	}
	m := map[string]string{}
	if len(out.Stacks) > 0 {
		for _, o := range out.Stacks[0].Outputs {
			m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
		}
	}
	return m, nil
}

func inRegion(region string) string {
	if region == "" {
		return ""
	}
	return " in " + region
}

// ssmParams are the parsed ${ssm(...)} parameters: any order of a region
// and the instructions raw and noDecrypt, comma separated.
type ssmParams struct {
	region         string
	raw, noDecrypt bool
}

func parseSSMParams(param string) ssmParams {
	var p ssmParams
	for _, f := range strings.Split(param, ",") {
		switch f = strings.TrimSpace(f); f {
		case "":
		case "raw":
			p.raw = true
		case "noDecrypt":
			p.noDecrypt = true
		default:
			if p.region == "" {
				p.region = f
			}
		}
	}
	return p
}

// resolveSSM returns parameter name as Serverless v3 does: String as is,
// StringList split on commas (unless raw), SecureString decrypted (unless
// noDecrypt) and parsed when it holds a JSON object (unless raw). Secrets
// Manager secrets work through /aws/reference/secretsmanager/<id> names.
func (s *Source) resolveSSM(ctx context.Context, param, name string) (any, error) {
	if i := strings.LastIndex(name, "~"); i > 0 && isLegacySuffix(name[i+1:]) {
		return nil, fmt.Errorf("${ssm:%s}: the ~%s suffix is Serverless v2 syntax that v3 dropped; SecureString parameters are decrypted by default (use ssm(noDecrypt) to skip) and StringList parameters become lists (use ssm(raw) to keep the string)",
			name, name[i+1:])
	}
	p := parseSSMParams(param)
	out, err := s.ssmClient(p.region).GetParameter(ctx, &ssm.GetParameterInput{
		Name: aws.String(name), WithDecryption: aws.Bool(!p.noDecrypt)})
	var nf *ssmtypes.ParameterNotFound
	if errors.As(err, &nf) {
		return nil, &NotFoundError{What: fmt.Sprintf("SSM parameter %q%s", name, inRegion(p.region))}
	}
	if err != nil {
		return nil, fmt.Errorf("get SSM parameter %s: %w", name, err)
	}
	if out.Parameter == nil {
		return nil, &NotFoundError{What: fmt.Sprintf("SSM parameter %q%s", name, inRegion(p.region))}
	}
	value := aws.ToString(out.Parameter.Value)
	v, err := ssmValue(out.Parameter.Type, value, p.raw)
	if out.Parameter.Type == ssmtypes.ParameterTypeSecureString && !p.noDecrypt && s.Secret != nil {
		from := "the SSM SecureString " + name
		s.Secret(value, from)
		eachString(v, func(leaf string) {
			if leaf != value {
				s.Secret(leaf, from)
			}
		})
	}
	return v, err
}

// eachString calls f with every string in a decoded JSON value.
func eachString(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, x := range v {
			eachString(x, f)
		}
	case map[string]any:
		for _, x := range v {
			eachString(x, f)
		}
	}
}

func isLegacySuffix(s string) bool { return s == "true" || s == "false" || s == "split" }

// ssmValue converts a parameter value by type, as get-ssm.js does.
func ssmValue(typ ssmtypes.ParameterType, value string, raw bool) (any, error) {
	switch typ {
	case ssmtypes.ParameterTypeString:
		return value, nil
	case ssmtypes.ParameterTypeStringList:
		if raw {
			return value, nil
		}
		var list []any
		for _, v := range strings.Split(value, ",") {
			list = append(list, v)
		}
		return list, nil
	case ssmtypes.ParameterTypeSecureString:
		if raw || !strings.HasPrefix(value, "{") {
			return value, nil
		}
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			return value, nil
		}
		return v, nil
	}
	return nil, fmt.Errorf("unexpected SSM parameter type %q", typ)
}

// resolveAWS answers ${aws:accountId} from STS and ${aws:region} from the
// configuration's region (which the caller set from --region, the config
// file or AWS_REGION).
func (s *Source) resolveAWS(ctx context.Context, address string) (any, error) {
	switch address {
	case "accountId":
		out, err := s.stsClient().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return nil, fmt.Errorf("get caller identity: %w", err)
		}
		return aws.ToString(out.Account), nil
	case "region":
		if s.cfg.Region == "" {
			return "us-east-1", nil // Serverless's default
		}
		return s.cfg.Region, nil
	}
	return nil, fmt.Errorf("unsupported address %q in variable source \"aws\": expected accountId or region", address)
}
