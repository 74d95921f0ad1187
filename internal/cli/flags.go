package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/stream-events/stream-events/internal/exit"
)

// newFlagSet returns a flag set whose help goes to stdout (asked for, it is
// the command's output) and whose errors are left to parseFlags, so each is
// printed once.
func newFlagSet(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stdout)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: stream-events %s %s\n\nFlags:\n", name, synopsis)
		printDefaults(fs)
	}
	return fs
}

// parseFlags parses args; -h prints the usage on stdout and answers with
// flag.ErrHelp, which exits 0. The flag package would print an error and
// the usage itself: it is silenced, and the error comes back as a usage
// error that names the flags as the README spells them.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	if err != nil {
		return exit.Usagef("%s: %s (run 'stream-events %s -h' for the flags)", fs.Name(), flagNames(err.Error()), fs.Name())
	}
	if fs.NArg() > 0 {
		return exit.Usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// flagSpelling finds the flag package's single-dash spelling of a name.
var flagSpelling = regexp.MustCompile(`(^|[ (])-([A-Za-z][A-Za-z0-9-]+)`)

// flagNames spells long flags with two dashes in the flag package's
// messages ("flag provided but not defined: -bse" is --bse).
func flagNames(msg string) string {
	return flagSpelling.ReplaceAllString(msg, "$1--$2")
}

// flagName is a flag as the README writes it: -c, --stage.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// printDefaults is flag.PrintDefaults with the README's spelling of flags.
func printDefaults(fs *flag.FlagSet) {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		b.WriteString("  " + flagName(f.Name))
		if arg != "" {
			b.WriteString(" " + arg)
		}
		b.WriteString("\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t"))
		if d := f.DefValue; d != "" && d != "false" {
			fmt.Fprintf(&b, " (default %s)", d)
		}
		b.WriteString("\n")
	})
	fmt.Fprint(fs.Output(), b.String())
}

// durationFlag is a time.Duration flag whose error says what a bare number
// lacks: "5" is not a duration, "5m" is.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err == nil {
		*f.d = d
		return nil
	}
	if strings.Trim(s, "0123456789.") == "" && s != "" {
		return fmt.Errorf("a duration needs a unit: %sm, %ss or %sh", s, s, s)
	}
	return errors.New("not a duration: use a number and a unit, such as 30s, 5m or 1h30m")
}
