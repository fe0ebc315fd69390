using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Rig;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware.Drivers;
using EmbeddedMpc.Firmware.Drivers.Safety;
using EmbeddedMpc.Firmware.Drivers.Switches;
using EmbeddedMpc.Firmware.Telemetry;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// Runs the control loop on the rig at a fixed period on its own highest-priority thread (HIL mode
    /// runs <see cref="Hil.HilThread"/> instead). Each tick starts at a deadline <c>t0 + k P</c> on the
    /// microsecond clock (<see cref="Esp32Clock"/>):
    /// <code>
    ///   wait for the deadline -> host frames, start button -> RigModeDevice.Tick (ControlLoop.Tick, telemetry) -> heartbeat -> LED
    /// </code>
    /// The Core's <see cref="RigModeDevice"/> does the rig mode's work (frames in and out, commands, excitation,
    /// the model sent); this thread keeps time and measures memory.
    /// The heartbeat (<see cref="MotorEnableHeartbeat"/>) is pulsed after the tick only while the supervisor
    /// drives the motor, so the hardware disables the bridge whenever this thread stops ticking or the
    /// supervisor stops driving.
    /// and every <see cref="FirmwareSettings.StatisticsPeriodSeconds"/> it measures free memory and sends
    /// the loop statistics (a LoopStatistics frame). It counts overruns (a tick that took longer than the
    /// period) and the jitter (largest |start - deadline|). After an overrun that ran past the next
    /// deadline, the missed periods are skipped (counted) rather than run back to back, so the loop keeps
    /// to the grid.
    /// Allocates nothing after construction (the drivers' own allocations are discussed in the README).
    /// </summary>
    internal sealed class ControlThread
    {
        /// <summary>
        /// For the last this-many µs before a deadline the thread spins on the microsecond clock instead of
        /// sleeping. On the ESP32, <c>Thread.Sleep</c> and the runtime's timers advance on the FreeRTOS tick
        /// (100 Hz), so a sleep can end up to 10 ms after the time asked for; sleeping only while more than
        /// 12 ms remain (and then only until 12 ms remain) leaves 2 ms of margin over that granularity. With a
        /// 20 ms period and a tick of 4 ms or more, the wait is a pure spin: the price is a busy CPU core,
        /// which the control thread, at the highest priority, would hold anyway.
        /// </summary>
        public const long SpinMicroseconds = 12000;

        /// <summary>Bytes taken from the UART per tick at most (a 921,600-baud line brings about 1,840 per 20 ms; the rest waits in the driver's buffer).</summary>
        public const int ReceiveChunkBytes = 64;

        private readonly RigModeDevice _rig;
        private readonly HostLinkPort _port;
        private readonly byte[] _received; // [ReceiveChunkBytes]
        private readonly IMicrosecondClock _clock;
        private readonly PushButton _startButton;
        private readonly StatusLed _led;
        private readonly IMotorDriver _motor;
        private readonly MotorEnableHeartbeat _heartbeat;
        private readonly long _periodMicroseconds;
        private readonly int _statisticsPeriodTicks;
        private readonly Thread _thread;

        private LoopStatisticsMessage _statistics;
        private uint _lastFreeBytes;
        private long _windowMaxJitter;
        private long _windowMaxTick;
        private int _ticksInWindow;

        /// <param name="rig">The Core's rig mode: control loop, host link frames, commands, model.</param>
        /// <param name="port">The host link's UART, read each tick.</param>
        /// <param name="clock">Microsecond clock for the deadlines.</param>
        /// <param name="startButton">The start button.</param>
        /// <param name="led">Status LED.</param>
        /// <param name="motor">The motor, switched off if the loop ever throws.</param>
        /// <param name="heartbeat">The bridge's enable heartbeat, pulsed once per tick while the supervisor drives the motor.</param>
        /// <param name="periodMicroseconds">Control period, µs; [1000, 1000000].</param>
        /// <param name="statisticsPeriodSeconds">Seconds between loop statistics; [1, 3600].</param>
        /// <exception cref="System.ArgumentException">A period is out of range.</exception>
        public ControlThread(RigModeDevice rig, HostLinkPort port, IMicrosecondClock clock, PushButton startButton, StatusLed led, IMotorDriver motor,
            MotorEnableHeartbeat heartbeat, int periodMicroseconds, int statisticsPeriodSeconds)
        {
            if (periodMicroseconds < 1000 || periodMicroseconds > 1000000)
            {
                throw new System.ArgumentException("periodMicroseconds must be in [1000, 1000000].", "periodMicroseconds");
            }

            if (statisticsPeriodSeconds < 1 || statisticsPeriodSeconds > 3600)
            {
                throw new System.ArgumentException("statisticsPeriodSeconds must be in [1, 3600].", "statisticsPeriodSeconds");
            }

            _rig = rig;
            _port = port;
            _received = new byte[ReceiveChunkBytes];
            _clock = clock;
            _startButton = startButton;
            _led = led;
            _motor = motor;
            _heartbeat = heartbeat;
            _periodMicroseconds = periodMicroseconds;
            _statisticsPeriodTicks = statisticsPeriodSeconds * (1000000 / periodMicroseconds);
            _thread = new Thread(Run);
            _thread.Priority = ThreadPriority.Highest;
        }

        /// <summary>Starts the control thread (once).</summary>
        public void Start()
        {
            _thread.Start();
        }

        private void Run()
        {
            try
            {
                RunTicks();
            }
            catch (System.Exception)
            {
                // Nothing on the tick path throws by design; if something does, the motor goes off and
                // the LED goes dark (no pattern of a running loop) until the board is reset. The heartbeat
                // stops with the thread, so the hardware disables the bridge even if SetDuty cannot run.
                // Console, not Debug: Debug.WriteLine is compiled out of Release images.
                _motor.SetDuty(0f);
                _led.Set(false);
                System.Console.WriteLine("EmbeddedMpc: the control thread stopped on an exception; motor off.");
                throw;
            }
        }

        private void RunTicks()
        {
            long deadline = _clock.NowMicroseconds + _periodMicroseconds;
            while (true)
            {
                WaitUntil(deadline);
                long start = _clock.NowMicroseconds;
                long jitter = start - deadline;
                if (jitter < 0)
                {
                    jitter = -jitter;
                }

                RunOneTick(start, deadline);

                long end = _clock.NowMicroseconds;
                long tickMicroseconds = end - start;
                if (tickMicroseconds > _periodMicroseconds)
                {
                    _statistics.Overruns++;
                }

                if (jitter > _windowMaxJitter)
                {
                    _windowMaxJitter = jitter;
                }

                if (tickMicroseconds > _windowMaxTick)
                {
                    _windowMaxTick = tickMicroseconds;
                }

                deadline += _periodMicroseconds;
                if (end > deadline)
                {
                    // Ran past the next deadline: skip the periods already gone instead of catching up.
                    long missed = (end - deadline) / _periodMicroseconds + 1;
                    _statistics.SkippedPeriods += (uint)missed;
                    deadline += missed * _periodMicroseconds;
                }

                _ticksInWindow++;
                if (_ticksInWindow >= _statisticsPeriodTicks)
                {
                    SendStatistics();
                }
            }
        }

        private void RunOneTick(long start, long deadline)
        {
            int received = _port.ReadReceived(_received);
            _rig.Receive(_received, 0, received, start);
            bool pressed = _startButton.SamplePressed();
            if (pressed)
            {
                _rig.ButtonPressed();
            }

            _rig.Tick(start, deadline, pressed);
            Supervisor supervisor = _rig.Loop.Supervisor;
            if (supervisor.Mode == SupervisorMode.Homing || supervisor.IsPlanning)
            {
                _heartbeat.Pulse();
            }

            _led.Show(_rig.Mode, _rig.LastTickIndex);
        }

        // Free memory is measured with nanoFramework.Runtime.Native.GC.Run, not with an allocated-bytes
        // counter, because nanoFramework 1.x has none: its mscorlib's System.GC offers only
        // SuppressFinalize, ReRegisterForFinalize and WaitForPendingFinalizers (no GetTotalMemory, no
        // GetAllocatedBytesForCurrentThread), and the only heap figure the runtime gives out is the free
        // memory that GC.Run returns after it has collected. Because it collects first, the figure shows
        // memory that is *kept* (a leak, a growing buffer): a steady value from window to window means the
        // loop retains nothing. It cannot show short-lived garbage, which the collection itself removes;
        // the host tests measure that (zero bytes per tick for the Core), and on the board the
        // GarbageCollectionMicroseconds and the jitter show what collections cost. The collection runs in
        // the slack after a tick's telemetry, so it delays no sensor reading; if it runs past the next
        // deadline, that shows as jitter and skipped periods in the same statistics. It runs only while the
        // motor is off: a planning tick leaves some 2-4 ms of slack, a collection that overran it would skip a
        // period and stretch the gap between heartbeat pulses towards the enable's timeout, so while the motor
        // may run the window reports the last measured free memory and a collection time of 0.
        private void SendStatistics()
        {
            long collection = 0;
            if (!DeviceCommands.MotorMayRun(_rig.Mode))
            {
                long before = _clock.NowMicroseconds;
                _lastFreeBytes = nanoFramework.Runtime.Native.GC.Run(false);
                collection = _clock.NowMicroseconds - before;
            }

            uint freeBytes = _lastFreeBytes;

            _statistics.TickIndex = _rig.LastTickIndex;
            _statistics.MaxJitterMicroseconds = (uint)_windowMaxJitter;
            _statistics.MaxTickMicroseconds = (uint)_windowMaxTick;
            _statistics.FreeMemoryBytes = freeBytes;
            _statistics.GarbageCollectionMicroseconds = (uint)collection;
            _rig.SendLoopStatistics(ref _statistics, _clock.NowMicroseconds);

            _windowMaxJitter = 0;
            _windowMaxTick = 0;
            _ticksInWindow = 0;
        }

        private void WaitUntil(long deadline)
        {
            while (true)
            {
                long remaining = deadline - _clock.NowMicroseconds;
                if (remaining <= 0)
                {
                    return;
                }

                if (remaining > SpinMicroseconds)
                {
                    Thread.Sleep((int)((remaining - SpinMicroseconds) / 1000));
                }
            }
        }
    }
}
