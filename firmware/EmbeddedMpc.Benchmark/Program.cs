using System;
using System.Threading;
using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware;
using nanoFramework.Hardware.Esp32;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace EmbeddedMpc.Benchmark
{
    /// <summary>
    /// Measures the Core on the board and prints the figures the budget rests on (firmware/EmbeddedMpc.Firmware/README.md,
    /// "Measuring the board"): µs per model step (bare, and inside a rollout with the planner's cost), µs per
    /// planning tick of the firmware's planner and of the CEM 8 x 2 x 40 the interpreter cost model is calibrated
    /// on, µs per garbage collection, and the free managed heap. Timed with <c>HighResTimer</c> (1 µs), printed with
    /// <c>Console.WriteLine</c> (kept in Release builds, unlike <c>Debug.WriteLine</c>) to the debugger's output.
    /// Touches no pin: run it on a bare board.
    /// </summary>
    public static class Program
    {
        private const int ModelSteps = 2000;
        private const int Rollouts = 200;
        private const int PlannerTicks = 300;

        /// <summary>Entry point.</summary>
        public static void Main()
        {
            Console.WriteLine("EmbeddedMpc benchmark");
            uint free = NativeGC.Run(true);
            Console.WriteLine("free heap at start: " + free.ToString() + " bytes");

            RigProfile profile = RigProfiles.Esp32Rig();
            var model = new CartPoleModel(profile.CopyParameters());
            MeasureModelSteps(model);
            MeasureRolloutSteps(profile, model);

            // The firmware's planner as the rig runs it (ControlStack), but planning to its full size:
            // the deadline would hide a tick that does not fit.
            var rig = new ModelRig(profile, FirmwareSettings.EncoderCountScale);
            var clock = new Esp32Clock();
            ControlLoop firmware = ControlStack.Build(profile, rig, rig, clock);
            MeasurePlanner("firmware planner (" + FirmwareSettings.Planner().Name + ")", firmware, rig);

            // The calibration anchor of the host's cost model: CEM 8 x 2 x 40 (cem-lqr-esp32, the HIL mode's default planner).
            var anchorRig = new ModelRig(profile, 1f);
            ControlLoop anchor = ControlStack.Build(profile, ControlStack.DefaultPlannerSettings(), 1f, anchorRig, anchorRig, clock);
            MeasurePlanner("CEM 8 x 2 x 40 (cost model anchor)", anchor, anchorRig);

            MeasureGarbageCollection();
            Console.WriteLine("done");
            Thread.Sleep(Timeout.Infinite);
        }

        private static void MeasureModelSteps(CartPoleModel model)
        {
            var state = new CartPoleState(0f, 0f, 3.0f, 0f);
            ulong start = HighResTimer.GetCurrent();
            for (int i = 0; i < ModelSteps; i++)
            {
                model.StepSemiImplicitEuler(ref state, 0.5f, 0.02f);
            }

            ulong elapsed = HighResTimer.GetCurrent() - start;
            Console.WriteLine("model step (semi-implicit Euler): " + Nanoseconds(elapsed, ModelSteps) + " ns");
        }

        private static void MeasureRolloutSteps(RigProfile profile, CartPoleModel model)
        {
            MotorParameters drive = profile.CopyMotor();
            float track = profile.CopyParameters().TrackHalfLengthMeters;
            PlannerDefinition planner = FirmwareSettings.Planner();
            var grid = new RolloutSettings
            {
                ControlPeriodSeconds = profile.ControlPeriodSeconds,
                ModelStepSeconds = planner.ModelStepSeconds,
                HorizonSteps = planner.HorizonSteps,
                StepsPerKnot = planner.StepsPerKnot,
            };
            ICost cost = new LqrTerminalCost(new DmControlRewardCost(track), ControllerFactory.DmControlRewardLqr(model, drive, profile.ControlPeriodSeconds), 1f);
            var rollout = new CartPoleRollout(model, cost, grid, drive);
            float[] actions = new float[rollout.KnotCount];
            for (int k = 0; k < actions.Length; k++)
            {
                actions[k] = k % 2 == 0 ? 0.6f : -0.6f;
            }

            var start = new CartPoleState(0f, 0f, 3.0f, 0f);
            long stepsBefore = rollout.ModelStepCount;
            ulong begin = HighResTimer.GetCurrent();
            for (int i = 0; i < Rollouts; i++)
            {
                rollout.RolloutCost(ref start, actions, 0, actions.Length);
            }

            ulong elapsed = HighResTimer.GetCurrent() - begin;
            int steps = (int)(rollout.ModelStepCount - stepsBefore);
            Console.WriteLine("rollout model step with the planner's cost: " + Nanoseconds(elapsed, steps) + " ns");
        }

        private static void MeasurePlanner(string name, ControlLoop loop, ModelRig rig)
        {
            loop.StopsPlanningAtBudget = false;
            loop.Estimator.SetCartPosition(rig.CartCount, 0f);
            loop.Estimator.SetPoleHanging(rig.PoleCount);
            loop.Supervisor.MarkHomed();
            loop.Supervisor.AutoStart = true;

            var record = new TelemetryRecord();
            long[] planning = new long[PlannerTicks]; // µs of the swing-up ticks, sorted below
            int swingUpTicks = 0, balanceTicks = 0, modelSteps = 0;
            long longestTick = 0;
            uint freeBefore = NativeGC.Run(true);
            for (int tick = 0; tick < PlannerTicks; tick++)
            {
                ulong start = HighResTimer.GetCurrent();
                loop.Tick(ref record);
                long tickMicroseconds = (long)(HighResTimer.GetCurrent() - start);
                rig.AdvanceOnePeriod();
                longestTick = tickMicroseconds > longestTick ? tickMicroseconds : longestTick;
                if (record.Mode == SupervisorMode.SwingUp)
                {
                    planning[swingUpTicks++] = record.PlanningMicroseconds;
                    modelSteps = record.ModelSteps > modelSteps ? record.ModelSteps : modelSteps;
                }
                else if (record.Mode == SupervisorMode.Balance)
                {
                    balanceTicks++;
                }
            }

            uint freeAfter = NativeGC.Run(true);
            SortPrefix(planning, swingUpTicks);
            Console.WriteLine(name + ":");
            Console.WriteLine("  swing-up ticks " + swingUpTicks.ToString() + ", balance ticks " + balanceTicks.ToString() + ", model steps per swing-up tick " + modelSteps.ToString());
            if (swingUpTicks > 0)
            {
                Console.WriteLine("  planning us per swing-up tick: median " + planning[swingUpTicks / 2].ToString() + ", max " + planning[swingUpTicks - 1].ToString());
            }

            Console.WriteLine("  longest whole tick (us): " + longestTick.ToString() + "; pole angle at the end (rad): " + rig.ThetaRadians.ToString());
            Console.WriteLine("  free heap before / after (bytes): " + freeBefore.ToString() + " / " + freeAfter.ToString());
        }

        private static void MeasureGarbageCollection()
        {
            const int Collections = 10;
            ulong start = HighResTimer.GetCurrent();
            uint free = 0;
            for (int i = 0; i < Collections; i++)
            {
                free = NativeGC.Run(true);
            }

            ulong elapsed = HighResTimer.GetCurrent() - start;
            Console.WriteLine("garbage collection (GC.Run(true)): " + ((long)(elapsed / Collections)).ToString() + " us; free heap " + free.ToString() + " bytes");
        }

        private static string Nanoseconds(ulong elapsedMicroseconds, int count)
        {
            return ((long)(elapsedMicroseconds * 1000UL / (ulong)count)).ToString();
        }

        // Insertion sort of values[0 .. count - 1]: no allocation, no Array.Sort (not in nanoFramework's mscorlib).
        private static void SortPrefix(long[] values, int count)
        {
            for (int i = 1; i < count; i++)
            {
                long value = values[i];
                int j = i - 1;
                while (j >= 0 && values[j] > value)
                {
                    values[j + 1] = values[j];
                    j--;
                }

                values[j + 1] = value;
            }
        }
    }
}
