package compile

import (
	"strings"

	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
)

// Which resources and statements of a --base template the event compilers
// that run after the stream compiler added (kafka, activemq, rabbitmq, msk,
// alb, alexa, iot, cloudwatch, cognito, eventBridge, sqs, cloudFront,
// httpApi; lib/plugins/index.js). They are recognised by the resource types
// and the logical IDs Serverless's naming functions give them
// (lib/plugins/aws/lib/naming.js), never by fragments a user chose: an S3
// bucket "alb-access-logs" or a websocket route "relayToHttpApi" belong to
// earlier compilers.

// laterTypes are resource types only later compilers create.
var laterTypes = map[string]bool{
	"AWS::Lambda::EventSourceMapping":           true, // sqs, kafka, msk, activemq, rabbitmq (base has no stream mapping)
	"AWS::ElasticLoadBalancingV2::TargetGroup":  true,
	"AWS::ElasticLoadBalancingV2::ListenerRule": true,
	"AWS::IoT::TopicRule":                       true,
	"AWS::IoT::ProvisioningTemplate":            true,
	"AWS::Logs::SubscriptionFilter":             true,
	"AWS::Cognito::UserPool":                    true,
	"AWS::Events::EventBus":                     true,
	"AWS::CloudFront::Distribution":             true,
	"AWS::CloudFront::CachePolicy":              true,
	"Custom::CognitoUserPool":                   true,
	"Custom::EventBridge":                       true,
}

// laterFunctionIDs are the logical IDs later compilers give per function,
// after the normalized function name.
var laterFunctionIDs = lazyre.New(`^(?:LambdaPermission(?:Alb|RegisterTarget|HttpApi|LogsSubscriptionFilterCloudWatchLog|IotProvisioningTemplate)` +
	`|LambdaPermission(?:AlexaSkill|AlexaSmartHome|IotTopicRule|EventsRuleCloudWatchEvent)\d+` +
	`|LambdaPermissionCognitoUserPool[A-Za-z0-9]*TriggerSource[A-Za-z0-9]*` +
	`|EventBridgeLambdaPermission\d+|LambdaFunctionInvokePermission` +
	`|EventsRuleCloudWatchEvent\d+)$`)

// laterServiceIDs are service-wide logical IDs of later compilers.
var laterServiceIDs = map[string]bool{
	"HttpApi": true, "HttpApiStage": true, "HttpApiLogGroup": true, "HttpApiRouteDefault": true,
	"CustomDashresourceDashexistingDashcupLambdaFunction": true,
	"CustomDashresourceDasheventDashbridgeLambdaFunction": true,
}

// websocketsID is the suffix of every websockets (an earlier compiler)
// logical ID that is an AWS::ApiGatewayV2 resource.
var websocketsID = lazyre.New(`Websockets(?:Api|Integration|Route|RouteResponse|Authorizer|Deployment[A-Za-z0-9]*|DeploymentStage|LogGroup)$`)

// isLaterResource reports a resource a later compiler added. prefixes are
// the normalized function names, longest first.
func isLaterResource(id string, typ *node.Node, prefixes []string) bool {
	t := ""
	if typ.IsString() {
		t = typ.Str
	}
	switch {
	case laterTypes[t], laterServiceIDs[id]:
		return true
	case t == "AWS::ApiGatewayV2::Route", t == "AWS::ApiGatewayV2::Integration", t == "AWS::ApiGatewayV2::Authorizer":
		// httpApi's are HttpApiRoute<path>, HttpApiIntegration<Fn>,
		// HttpApiAuthorizer<name>; websockets' end in Websockets...
		return strings.HasPrefix(id, "HttpApi") && !websocketsID.MatchString(id)
	case t == "AWS::Lambda::Permission":
		return strings.HasSuffix(id, "LambdaAuthorizerPermissionHttpApi") || laterFunctionResource(id, prefixes)
	case t == "AWS::Events::Rule":
		// schedule (earlier) names <Fn>EventsRuleSchedule<n>; cloudwatchEvent
		// <Fn>EventsRuleCloudWatchEvent<n>; eventBridge <rule name>EventBridgeRule.
		return strings.HasSuffix(id, "EventBridgeRule") || laterFunctionResource(id, prefixes)
	}
	return false
}

func laterFunctionResource(id string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) && laterFunctionIDs.MatchString(id[len(p):]) {
			return true
		}
	}
	return false
}

// laterActions start the actions of the statements the kafka, msk,
// activemq, rabbitmq and sqs compilers add to the role.
var laterActions = []string{"sqs:ReceiveMessage", "kafka:", "kafka-cluster:", "mq:", "secretsmanager:GetSecretValue",
	"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DeleteNetworkInterface",
	"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"}

// cloudFrontLogs is the statement the cloudFront compiler adds for
// Lambda@Edge's log groups in every region (cloud-front.js).
const cloudFrontLogs = `{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents","logs:TagResource"],"Resource":[{"Fn::Sub":"arn:${AWS::Partition}:logs:*:*:*"}]}`

func isLaterStatement(st *node.Node) bool {
	if st.Stringify() == cloudFrontLogs {
		return true
	}
	actions := st.Get("Action")
	list := []*node.Node{actions}
	if actions.IsSeq() {
		list = actions.Items
	}
	for _, a := range list {
		if !a.IsString() {
			continue
		}
		for _, p := range laterActions {
			if strings.HasPrefix(a.Str, p) {
				return true
			}
		}
	}
	return false
}
