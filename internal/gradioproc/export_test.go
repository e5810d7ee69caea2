package gradioproc

// For the tests of package gradioproc_test, which need gradiotest (which
// imports this package) to find Python.

func (p *Process) PGID() int   { return p.cmd.Process.Pid }
func (p *Process) Tmp() string { return p.tmp }
