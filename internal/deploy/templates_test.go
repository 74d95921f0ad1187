package deploy

import (
	"strconv"
	"strings"
)

// tmpl builds a small stream template: a role, a function and one Kinesis
// mapping. The replacer edits the mapping's properties per test.
func tmpl(mapping string) string {
	return strings.NewReplacer("\n", "", "\t", "").Replace(`{
	"AWSTemplateFormatVersion": "2010-09-09",
	"Resources": {
		"IamRoleLambdaExecution": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
		"WorkerLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "h.js", "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}}},
		"WorkerEventSourceMappingKinesisOrders": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": ` + mapping + `}
	},
	"Outputs": {
		"WorkerLambdaFunctionQualifiedArn": {"Value": {"Ref": "WorkerLambdaFunction"}},
		"ServiceName": {"Value": "orders"}
	}
}`)
}

const (
	srcOrders  = `"arn:aws:kinesis:us-east-1:123456789012:stream/orders"`
	srcRefunds = `"arn:aws:kinesis:us-east-1:123456789012:stream/refunds"`
)

func mapping(src, start string, batch int) string {
	return `{"EventSourceArn": ` + src + `, "FunctionName": {"Ref": "WorkerLambdaFunction"}, "StartingPosition": "` +
		start + `", "BatchSize": ` + strconv.Itoa(batch) + `}`
}

var (
	tmplV1      = tmpl(mapping(srcOrders, "LATEST", 10))
	tmplBatch   = tmpl(mapping(srcOrders, "LATEST", 100))
	tmplTrim    = tmpl(mapping(srcOrders, "TRIM_HORIZON", 10))
	tmplNewSrc  = tmpl(mapping(srcRefunds, "TRIM_HORIZON", 10))
	mappingID   = "WorkerEventSourceMappingKinesisOrders"
	mappingType = "AWS::Lambda::EventSourceMapping"
	functionID  = "WorkerLambdaFunction"
	roleID      = "IamRoleLambdaExecution"
)
