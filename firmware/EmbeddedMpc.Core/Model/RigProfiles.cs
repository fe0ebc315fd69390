namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// The built-in rig profiles. Each call returns a new object. The numbers and their sources are
    /// listed in hardware/README.md; how to measure them is in hardware/rig-profile.md.
    /// </summary>
    public static class RigProfiles
    {
        /// <summary>Name of the project's own ESP32 rig, the default everywhere.</summary>
        public const string Esp32RigName = "esp32-rig";

        /// <summary>Name of the dm_control benchmark cart-pole.</summary>
        public const string DmControlName = "dm-control";

        /// <summary>Name of the Quanser IP02 cart with the long SIP pendulum.</summary>
        public const string QuanserIp02Name = "quanser-ip02";

        /// <summary>The names accepted by <see cref="FindByName"/>, comma-separated, for error messages.</summary>
        public const string AllNames = Esp32RigName + ", " + DmControlName + ", " + QuanserIp02Name;

        /// <summary>The profile called <paramref name="name"/> (case-sensitive), or null if there is none.</summary>
        public static RigProfile FindByName(string name)
        {
            if (name == Esp32RigName)
            {
                return Esp32Rig();
            }

            if (name == DmControlName)
            {
                return DmControl();
            }

            if (name == QuanserIp02Name)
            {
                return QuanserIp02LongPendulum();
            }

            return null;
        }

        /// <summary>
        /// The project's default rig: ESP32 DevKit, 12 V gearmotor with a GT2 belt, 0.9 m rail, 0.5 m
        /// aluminium pole on a 2400-count optical encoder (hardware/README.md has the bill of materials).
        /// </summary>
        public static RigProfile Esp32Rig()
        {
            var parameters = new CartPoleParameters
            {
                CartMassKilograms = 0.50f,
                PoleMassKilograms = 0.080f,
                PivotToCenterOfMassMeters = 0.25f,
                PoleInertiaAboutPivotKilogramSquareMeters = 0.0070f,
                CartDampingNewtonSecondsPerMeter = 2.5f,
                PivotDampingNewtonMeterSecondsPerRadian = 2e-4f,
                // The drive's force at full duty and standstill (stall), see the motor below.
                MaxForceNewtons = 12.5f,
                TrackHalfLengthMeters = 0.35f,
            };
            // Cart: 11-pulse Hall encoder x4 edges x 20.4:1 gearbox = 897.6 counts per output revolution,
            // over a 12.73 mm radius pulley (0.0800 m per revolution) = 11,220 counts per metre.
            // 12 V gearmotor (JGA25-370 class): Kt = Ke = 0.0065 N·m/A, R = 10 ohm, 20.4:1, 12.73 mm pulley:
            // stall force Kt G V / (R r) = 12.5 N at full duty, back-EMF damping Kt Ke G^2 / (R r^2) = 10.9 N·s/m,
            // no-load cart speed 1.15 m/s.
            var motor = new MotorParameters
            {
                SupplyVoltageVolts = 12f,
                TorqueConstantNewtonMetersPerAmp = 0.0065f,
                BackEmfVoltSecondsPerRadian = 0.0065f,
                WindingResistanceOhms = 10f,
                GearRatio = 20.4f,
                PulleyRadiusMeters = 0.01273f,
                DeadbandDuty = 0.06f,
            };
            return new RigProfile(Esp32RigName, "project ESP32 rig (hardware/README.md)", parameters, motor, 11220f, 2400f, 0.02f, 0.02f, 0.04f);
        }

        /// <summary>
        /// The dm_control "cartpole" model: 1 kg cart on a +/-1.8 m slider, 1 m 0.1 kg capsule pole,
        /// control in [-1, 1] times gear 10 = +/-10 N. MuJoCo measures the state exactly.
        /// </summary>
        public static RigProfile DmControl()
        {
            var parameters = new CartPoleParameters
            {
                CartMassKilograms = 1.0f,
                PoleMassKilograms = 0.1f,
                PivotToCenterOfMassMeters = 0.5f,
                // MuJoCo's capsule from the pivot to 1 m, radius 0.045 m, hemispherical end caps included.
                PoleInertiaAboutPivotKilogramSquareMeters = CapsuleInertiaAboutEndCenter(0.1f, 1.0f, 0.045f),
                CartDampingNewtonSecondsPerMeter = 5e-4f,
                PivotDampingNewtonMeterSecondsPerRadian = 2e-6f,
                MaxForceNewtons = 10f,
                TrackHalfLengthMeters = 1.8f,
            };
            // The slider's range is the hard limit; there are no switches before it.
            return new RigProfile(DmControlName, "dm_control cartpole (MuJoCo model)", parameters, MotorParameters.IdealForceSource(10f), 0f, 0f, 0.02f, 0f, 0f);
        }

        /// <summary>
        /// Moment of inertia, kg·m², of a uniform solid capsule about an axis perpendicular to its own
        /// through the centre of one end cap (where MuJoCo's fromto puts the hinge): a cylinder of length
        /// <paramref name="lengthMeters"/> closed by two hemispheres of radius <paramref name="radiusMeters"/>,
        /// of total mass <paramref name="massKilograms"/>. A plain cylinder leaves out the caps, about 3 %
        /// of the dm_control pole's inertia.
        /// </summary>
        /// <remarks>
        /// With h the length, r the radius, the mass splits by volume: cylinder m_c = m h / (h + 4r/3), caps
        /// m_s = m - m_c. About the centre: m_c (3r² + h²)/12 for the cylinder and, for the two hemispheres
        /// (each 2/5 m r² about its flat face, centre of mass 3r/8 from it, moved out by h/2),
        /// m_s (2r²/5 + h²/4 + 3hr/8). The parallel-axis theorem moves the sum to the end: + m (h/2)².
        /// </remarks>
        public static float CapsuleInertiaAboutEndCenter(float massKilograms, float lengthMeters, float radiusMeters)
        {
            float h = lengthMeters;
            float r = radiusMeters;
            float cylinderMass = massKilograms * h / (h + 4f * r / 3f);
            float capsMass = massKilograms - cylinderMass;
            float aboutCenter = cylinderMass * (3f * r * r + h * h) / 12f
                + capsMass * (2f * r * r / 5f + h * h / 4f + 3f * h * r / 8f);
            return aboutCenter + massKilograms * (h / 2f) * (h / 2f);
        }

        /// <summary>
        /// Quanser IP02 cart (0.57 kg, 4.3 N·s/m) with the long single inverted pendulum (0.230 kg,
        /// pivot to centre of mass 0.3302 m, 7.88e-3 kg·m² about the centre of mass), 0.8 m track.
        /// Force limit: 6 V across the motor at stall, Kg Kt V / (Rm r) = 10.3 N.
        /// </summary>
        public static RigProfile QuanserIp02LongPendulum()
        {
            var parameters = new CartPoleParameters
            {
                CartMassKilograms = 0.57f,
                PoleMassKilograms = 0.230f,
                PivotToCenterOfMassMeters = 0.3302f,
                // Parallel-axis theorem: 7.88e-3 + 0.230 x 0.3302^2.
                PoleInertiaAboutPivotKilogramSquareMeters = 7.88e-3f + 0.230f * 0.3302f * 0.3302f,
                CartDampingNewtonSecondsPerMeter = 4.3f,
                PivotDampingNewtonMeterSecondsPerRadian = 0.0024f,
                MaxForceNewtons = 10.3f,
                TrackHalfLengthMeters = 0.4f,
            };
            // IP02 cart encoder: 4096 counts per revolution of a 0.01482 m radius rack pinion = 43,990 counts/m;
            // SIP pendulum encoder: 4096 counts per revolution.
            // Quanser motor: Rm 2.6 ohm, Kt = Km = 0.00767, Kg 3.71, pinion 6.35 mm, driven at up to 6 V.
            var motor = new MotorParameters
            {
                SupplyVoltageVolts = 6f,
                TorqueConstantNewtonMetersPerAmp = 0.00767f,
                BackEmfVoltSecondsPerRadian = 0.00767f,
                WindingResistanceOhms = 2.6f,
                GearRatio = 3.71f,
                PulleyRadiusMeters = 0.00635f,
                DeadbandDuty = 0.02f,
            };
            return new RigProfile(QuanserIp02Name, "Quanser IP02 + long SIP (Quanser manuals)", parameters, motor, 43990f, 4096f, 0.02f, 0.02f, 0.04f);
        }
    }
}
