namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// Physical parameters of a cart-pole rig, in SI units. Set the properties, then hand the object
    /// to <see cref="CartPoleModel"/>, which validates them once (<see cref="Validate"/>) and copies
    /// them; later changes to this object do not affect a model already built.
    /// </summary>
    public sealed class CartPoleParameters
    {
        /// <summary>Mass of the cart (everything that moves with it except the pole), kg; (0, 1000].</summary>
        public float CartMassKilograms { get; set; }

        /// <summary>Mass of the pole, kg; (0, 100].</summary>
        public float PoleMassKilograms { get; set; }

        /// <summary>Distance from the pivot to the pole's centre of mass, m; (0, 10].</summary>
        public float PivotToCenterOfMassMeters { get; set; }

        /// <summary>
        /// Moment of inertia of the pole about the pivot axis, kg·m²; at least m·l² (a point mass) and at
        /// most 1000. A uniform rod of length L about its end: m·L²/3.
        /// </summary>
        public float PoleInertiaAboutPivotKilogramSquareMeters { get; set; }

        /// <summary>Viscous damping of the cart on its track, N·s/m; [0, 1000].</summary>
        public float CartDampingNewtonSecondsPerMeter { get; set; }

        /// <summary>Viscous damping of the pole's pivot, N·m·s/rad; [0, 100].</summary>
        public float PivotDampingNewtonMeterSecondsPerRadian { get; set; }

        /// <summary>Largest force the drive can put on the cart, N; (0, 10000]. Normalized actions are scaled by it.</summary>
        public float MaxForceNewtons { get; set; }

        /// <summary>Half the usable track length, m: the cart must keep |x| within it; (0, 100].</summary>
        public float TrackHalfLengthMeters { get; set; }

        /// <summary>Gravitational acceleration, m/s²; (0, 100]. Defaults to 9.81.</summary>
        public float GravityMetersPerSecondSquared { get; set; } = 9.81f;

        /// <summary>
        /// Coulomb (dry) friction of the cart on its track, N; [0, 1000]; 0 (the default) leaves it out.
        /// The model applies it with a sign smoothed near standstill (<see cref="CartPoleModel.CartCoulombSmoothingMetersPerSecond"/>).
        /// </summary>
        public float CartCoulombFrictionNewtons { get; set; }

        /// <summary>
        /// Coulomb (dry) friction torque of the pole's pivot, N·m; [0, 100]; 0 (the default) leaves it out.
        /// Smoothed near standstill like the cart's (<see cref="CartPoleModel.PivotCoulombSmoothingRadiansPerSecond"/>).
        /// </summary>
        public float PivotCoulombFrictionNewtonMeters { get; set; }

        /// <summary>
        /// Throws <see cref="System.ArgumentException"/> naming the first parameter outside its range.
        /// </summary>
        public void Validate()
        {
            Validation.RequireAbove(CartMassKilograms, 0f, 1000f, nameof(CartMassKilograms));
            Validation.RequireAbove(PoleMassKilograms, 0f, 100f, nameof(PoleMassKilograms));
            Validation.RequireAbove(PivotToCenterOfMassMeters, 0f, 10f, nameof(PivotToCenterOfMassMeters));
            float pointMassInertia = PoleMassKilograms * PivotToCenterOfMassMeters * PivotToCenterOfMassMeters;
            Validation.RequireInRange(PoleInertiaAboutPivotKilogramSquareMeters, pointMassInertia * 0.999f, 1000f, nameof(PoleInertiaAboutPivotKilogramSquareMeters));
            Validation.RequireInRange(CartDampingNewtonSecondsPerMeter, 0f, 1000f, nameof(CartDampingNewtonSecondsPerMeter));
            Validation.RequireInRange(PivotDampingNewtonMeterSecondsPerRadian, 0f, 100f, nameof(PivotDampingNewtonMeterSecondsPerRadian));
            Validation.RequireAbove(MaxForceNewtons, 0f, 10000f, nameof(MaxForceNewtons));
            Validation.RequireAbove(TrackHalfLengthMeters, 0f, 100f, nameof(TrackHalfLengthMeters));
            Validation.RequireAbove(GravityMetersPerSecondSquared, 0f, 100f, nameof(GravityMetersPerSecondSquared));
            Validation.RequireInRange(CartCoulombFrictionNewtons, 0f, 1000f, nameof(CartCoulombFrictionNewtons));
            Validation.RequireInRange(PivotCoulombFrictionNewtonMeters, 0f, 100f, nameof(PivotCoulombFrictionNewtonMeters));
        }

        /// <summary>A field-by-field copy.</summary>
        public CartPoleParameters Clone()
        {
            return new CartPoleParameters
            {
                CartMassKilograms = CartMassKilograms,
                PoleMassKilograms = PoleMassKilograms,
                PivotToCenterOfMassMeters = PivotToCenterOfMassMeters,
                PoleInertiaAboutPivotKilogramSquareMeters = PoleInertiaAboutPivotKilogramSquareMeters,
                CartDampingNewtonSecondsPerMeter = CartDampingNewtonSecondsPerMeter,
                PivotDampingNewtonMeterSecondsPerRadian = PivotDampingNewtonMeterSecondsPerRadian,
                MaxForceNewtons = MaxForceNewtons,
                TrackHalfLengthMeters = TrackHalfLengthMeters,
                GravityMetersPerSecondSquared = GravityMetersPerSecondSquared,
                CartCoulombFrictionNewtons = CartCoulombFrictionNewtons,
                PivotCoulombFrictionNewtonMeters = PivotCoulombFrictionNewtonMeters,
            };
        }
    }
}
