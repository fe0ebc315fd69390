using System.CommandLine;
using EmbeddedMpc.HostSim.Cli;
using EmbeddedMpc.HostSim.Output;

Interruption.Install();
var root = new RootCommand("EmbeddedMpc desktop simulator: the shared Core planning against a simulated cart-pole rig.")
{
    RunCommand.Create(),
    OpenLoopCommand.Create(),
    BenchCommand.Create(),
    HilCommand.Create(),
    VirtualDeviceCommand.Create(),
    MonitorCommand.Create(),
    ConfigureCommand.Create(),
    IdentifyCommand.Create(),
    LearnCommand.Create(),
    CostCommand.Create(),
};

return CommandLine.Invoke(root, args, configurable: ["run", "bench", "hil"]);
