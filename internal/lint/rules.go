package lint

import "github.com/stream-events/stream-events/internal/diag"

// definition pairs a rule with the function that checks it. The schema
// family is checked by one walk (lintSchema), attached to its first rule.
type definition struct {
	rule  diag.Rule
	check func(*pass)
}

// definitions is the explicit, ordered rule list (no init registration).
func definitions() []definition {
	return []definition{
		{ruleSchemaType, lintSchema},
		{ruleSchemaEnum, nil},
		{ruleSchemaRange, nil},
		{ruleSchemaPattern, nil},
		{ruleSchemaRequired, nil},
		{ruleSchemaUnknownKey, nil},
		{ruleSchemaSetting, nil},
		{ruleArnIntrinsic, checkArnIntrinsic},
		{ruleIntrinsicShape, checkIntrinsicShape},
		{ruleDeprecatedConsumerNaming, checkDeprecatedConsumerNaming},
		{ruleDynamodbAtTimestamp, checkDynamodbAtTimestamp},
		{ruleAtTimestampWithoutTimestamp, checkAtTimestampWithoutTimestamp},
		{ruleTimestampDropped, checkTimestampDropped},
		{ruleTimestampWithoutAtTimestamp, checkTimestampWithoutAtTimestamp},
		{ruleTimestampFuture, checkTimestampFuture},
		{ruleTableArn, checkTableArn},
		{ruleTableWithoutStream, checkTableWithoutStream},
		{ruleArnFormat, checkArnFormat},
		{ruleArnTypeMismatch, checkArnTypeMismatch},
		{ruleConsumerArnStream, checkConsumerArnStream},
		{ruleDynamodbConsumer, checkDynamodbConsumer},
		{ruleConsumerName, checkConsumerName},
		{ruleOnFailureDestination, checkOnFailureDestination},
		{ruleFilterCount, checkFilterCount},
		{ruleFilterPatternSize, checkFilterPatternSize},
		{ruleFilterDuplicate, checkFilterDuplicate},
		{ruleFilterSyntax, checkFilterSyntax},
		{ruleFilterOperator, checkFilterOperator},
		{ruleFilterKey, checkFilterKey},
		{ruleFilterDynamodbType, checkFilterDynamodbType},
		{ruleFilterEventName, checkFilterEventName},
		{ruleDuplicateSource, checkDuplicateSource},
		{ruleLogicalIDCollision, checkLogicalIDCollision},
		{ruleDynamodbReaders, checkDynamodbReaders},
		{ruleTumblingWindow, checkTumblingWindow},
	}
}
