using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>
/// The bridge's hardware enable lives only while the control loop pulses its heartbeat pin
/// (hardware/wiring.md, "Heartbeat enable"). These checks read the compiled firmware (the ApiCheck
/// build of its sources): who may pulse it, when, and that the pins it relies on stay clear of the
/// ESP32's boot and auto-program pins.
/// </summary>
[TestClass]
public sealed class MotorEnableHeartbeatTests
{
    private const string HeartbeatType = "EmbeddedMpc.Firmware.Drivers.Safety.MotorEnableHeartbeat";

    [TestMethod]
    public void OnlyTheRigControlThreadAndTheBringUpDutiesPulseTheHeartbeat()
    {
        // HIL mode, the benchmark and everything else must leave the bridge disabled in hardware.
        using ModuleDefinition module = NanoFrameworkSubset.CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        List<string> callers = CallersOf(module, HeartbeatType, "Pulse").Select(m => m.DeclaringType.FullName + "." + m.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(
            new[] { "EmbeddedMpc.BringUp.Program.RunDuty", "EmbeddedMpc.Firmware.ControlThread.RunOneTick" },
            callers,
            "methods that pulse the heartbeat: " + string.Join(", ", callers));
    }

    [TestMethod]
    public void TheControlThreadPulsesAfterTheTickAndOnlyBehindTheSupervisorsDrivingModes()
    {
        using ModuleDefinition module = NanoFrameworkSubset.CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        MethodDefinition runOneTick = module.GetType("EmbeddedMpc.Firmware.ControlThread").Methods.Single(m => m.Name == "RunOneTick");
        List<Instruction> body = runOneTick.Body.Instructions.ToList();
        int tick = body.FindIndex(i => IsCall(i, "EmbeddedMpc.Core.Rig.RigModeDevice", "Tick"));
        int pulse = body.FindIndex(i => IsCall(i, HeartbeatType, "Pulse"));
        Assert.IsTrue(tick >= 0 && pulse > tick, "the pulse follows RigModeDevice.Tick (which runs ControlLoop.Tick), so it reflects the supervisor's decision of this tick");

        // Between the tick and the pulse: the supervisor's mode (Homing) and IsPlanning are read, and a branch can skip the pulse.
        List<Instruction> between = body.GetRange(tick + 1, pulse - tick - 1);
        Assert.IsTrue(between.Any(i => IsCall(i, "EmbeddedMpc.Core.Safety.Supervisor", "get_Mode")), "the pulse depends on the supervisor's mode");
        Assert.IsTrue(between.Any(i => IsCall(i, "EmbeddedMpc.Core.Safety.Supervisor", "get_IsPlanning")), "the pulse depends on the supervisor planning");
        Assert.IsTrue(between.Any(i => i.OpCode.FlowControl == FlowControl.Cond_Branch), "a condition can skip the pulse");
    }

    [TestMethod]
    public void NoFirmwarePinIsABootOrFlashPin()
    {
        // GPIO 0: boot mode, pulsed by the USB-UART's DTR/RTS auto-program circuit whenever the PC opens the port.
        // GPIO 12: a HIGH at reset selects 1.8 V flash. GPIO 6-11: the module's SPI flash. GPIO 1 and 3: COM1, the debugger.
        int[] forbidden = { 0, 1, 3, 6, 7, 8, 9, 10, 11, 12 };
        using ModuleDefinition module = NanoFrameworkSubset.CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        TypeDefinition pinMap = module.GetType("EmbeddedMpc.Firmware.PinMap");
        List<string> offending = pinMap.Fields
            .Where(f => f.HasConstant && f.Constant is int pin && forbidden.Contains(pin))
            .Select(f => f.Name + " = " + f.Constant)
            .ToList();
        Assert.AreEqual(0, offending.Count, "pins on boot, flash or debugger lines: " + string.Join(", ", offending));
    }

    private static IEnumerable<MethodDefinition> CallersOf(ModuleDefinition module, string typeName, string methodName)
    {
        foreach (TypeDefinition type in module.GetTypes())
        {
            foreach (MethodDefinition method in type.Methods.Where(m => m.HasBody))
            {
                if (method.Body.Instructions.Any(i => IsCall(i, typeName, methodName)))
                {
                    yield return method;
                }
            }
        }
    }

    private static bool IsCall(Instruction instruction, string typeName, string methodName)
    {
        return (instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt)
            && instruction.Operand is MethodReference target
            && target.Name == methodName
            && target.DeclaringType.FullName == typeName;
    }
}
