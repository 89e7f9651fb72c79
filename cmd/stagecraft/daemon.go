package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stagecraft/stagecraft/sandbox"
)

func newDaemonCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "daemon",
		Short: "Status of, or stop, the managed BuildKit daemon",
		Long: `stagecraft starts its own buildkitd when no --buildkit address or BUILDKIT_HOST is given, and
leaves it running for the next check. These commands look at it and stop it.`,
	}
	var asJSON bool
	status := &cobra.Command{
		Use:   "status",
		Short: "Show whether the managed daemon runs, its address, version and cache size",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := sandbox.DefaultDaemon()
			if err != nil {
				return envErr(err)
			}
			st := d.Status(cmd.Context())
			if asJSON {
				enc := json.NewEncoder(g.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			if !st.Running {
				fmt.Fprintf(g.Out, "managed daemon: not running (it starts on the first build)\n  address: %s\n  root:    %s\n", st.Address, st.Root)
				return nil
			}
			fmt.Fprintf(g.Out, "managed daemon: running (pid %d)\n  address: %s\n  version: %s\n  root:    %s\n  cache:   %s\n  log:     %s\n",
				st.PID, st.Address, st.Version, st.Root, sandbox.HumanBytes(st.CacheSize), st.Log)
			return nil
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	stop := &cobra.Command{
		Use:   "stop",
		Short: "Stop the managed daemon (its build cache stays on disk)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := sandbox.DefaultDaemon()
			if err != nil {
				return envErr(err)
			}
			stopped, err := d.Stop()
			if err != nil {
				return envErr(err)
			}
			if stopped {
				fmt.Fprintln(g.Out, "managed daemon stopped")
			} else {
				fmt.Fprintln(g.Out, "managed daemon was not running")
			}
			return nil
		},
	}
	cmd.AddCommand(status, stop)
	return cmd
}
