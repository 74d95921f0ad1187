package compile

import (
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

func TestIsLaterResource(t *testing.T) {
	prefixes := []string{"AlbHandler", "Logs"}
	for _, c := range []struct {
		id, typ string
		want    bool
	}{
		{"LogsLambdaPermissionAlbaccesslogsS3", "AWS::Lambda::Permission", false}, // s3 bucket alb-access-logs
		{"SNSTopicAlb5xxalarms", "AWS::SNS::Topic", false},
		{"LogsLambdaPermissionAlb5xxalarmsSNS", "AWS::Lambda::Permission", false},
		{"relayToHttpApiWebsocketsRoute", "AWS::ApiGatewayV2::Route", false},
		{"HttpApiCompatWebsocketsRoute", "AWS::ApiGatewayV2::Route", false},
		{"AlbHandlerLambdaPermissionApiGateway", "AWS::Lambda::Permission", false},
		{"LogsEventsRuleSchedule1", "AWS::Events::Rule", false},
		{"LogsLambdaPermissionAlb", "AWS::Lambda::Permission", true},
		{"AlbHandlerLambdaPermissionAlb", "AWS::Lambda::Permission", true},
		{"LogsEventsRuleCloudWatchEvent1", "AWS::Events::Rule", true},
		{"LogsLambdaPermissionCognitoUserPoolPoolTriggerSourcePreSignUp", "AWS::Lambda::Permission", true},
		{"HttpApiRouteGetStatus", "AWS::ApiGatewayV2::Route", true},
		{"HttpApiIntegrationLogs", "AWS::ApiGatewayV2::Integration", true},
		{"LogsEventSourceMappingSQSJobs", "AWS::Lambda::EventSourceMapping", true},
		{"LogsLambdaFunctionInvokePermission", "AWS::Lambda::Permission", true},
		{"svcdevlogsrule1EventBridgeRule", "AWS::Events::Rule", true},
		{"CloudFrontDistribution", "AWS::CloudFront::Distribution", true},
	} {
		if got := isLaterResource(c.id, node.NewString(c.typ, diag.Range{}), prefixes); got != c.want {
			t.Errorf("isLaterResource(%s, %s) = %v, want %v", c.id, c.typ, got, c.want)
		}
	}
}
