// Package compile turns the stream events of a resolved serverless.yml into
// CloudFormation, as Serverless Framework v3.40.0's aws-compile-stream-events
// does: Load reads the service model (with the coercions Serverless's schema
// validation applies), Compile builds each event's mapping, consumer and
// IAM statements with Serverless's names, defaults and quirks, and two
// renderers write them out: ServerlessTemplate (exactly what Serverless
// adds, optionally merged into the template it wrote without stream
// events) and Standalone (a template that deploys on its own next to the
// stack that owns the functions). Where Serverless would crash, it reports
// a positioned finding instead. It does no I/O.
package compile
