namespace EmbeddedMpc.Core.Math
{
    /// <summary>
    /// Single-precision elementary functions written with plain float arithmetic, so that the
    /// host (.NET) and the device (nanoFramework, whose System.Math is a separate package that
    /// computes in float on the ESP32) produce the same numbers bit for bit.
    /// </summary>
    /// <remarks>
    /// Error bounds (checked against double-precision System.Math by the host tests):
    /// <see cref="Sin"/> and <see cref="Cos"/>: absolute error below 2e-6 for |x| &lt;= 1000 rad;
    /// <see cref="Sqrt"/>, <see cref="Exp"/>, <see cref="Log"/>: relative error below 1e-6.
    /// None of these functions allocates or throws.
    /// </remarks>
    public static class FloatMath
    {
        /// <summary>pi as a float.</summary>
        public const float Pi = 3.14159265358979f;

        /// <summary>2 pi as a float.</summary>
        public const float TwoPi = 6.28318530717959f;

        /// <summary>pi / 2 as a float.</summary>
        public const float HalfPi = 1.57079632679490f;

        private const float InverseTwoPi = 0.159154943091895f;

        // 2 pi split into a float part and the remainder, for Cody-Waite range reduction.
        private const float TwoPiHigh = 6.28125f;
        private const float TwoPiLow = 0.00193530717958647f;

        private const float Ln2High = 0.693145751953125f;
        private const float Ln2Low = 1.42860682030941723e-6f;
        private const float Ln2 = 0.693147180559945f;
        private const float InverseLn2 = 1.44269504088896f;

        /// <summary>Sine of <paramref name="angleRadians"/>; NaN for NaN or infinite input.</summary>
        public static float Sin(float angleRadians)
        {
            float reduced = WrapToPi(angleRadians);
            // sin(pi - a) = sin(a): fold [pi/2, pi] and [-pi, -pi/2] onto [-pi/2, pi/2].
            if (reduced > HalfPi)
            {
                reduced = Pi - reduced;
            }
            else if (reduced < -HalfPi)
            {
                reduced = -Pi - reduced;
            }

            return SinPolynomial(reduced);
        }

        /// <summary>
        /// Sine and cosine of one angle, bit for bit <see cref="Sin"/> and <see cref="Cos"/>, with one range
        /// reduction and one call instead of two of each (the model step needs both, every rollout step).
        /// </summary>
        public static void SinCos(float angleRadians, out float sine, out float cosine)
        {
            float reduced = WrapToPi(angleRadians);
            float folded = reduced;
            if (reduced > HalfPi)
            {
                folded = Pi - reduced;
            }
            else if (reduced < -HalfPi)
            {
                folded = -Pi - reduced;
            }

            sine = SinPolynomial(folded);
            float magnitude = reduced < 0f ? -reduced : reduced;
            cosine = magnitude > HalfPi ? -CosPolynomial(Pi - magnitude) : CosPolynomial(magnitude);
        }

        /// <summary>Cosine of <paramref name="angleRadians"/>; NaN for NaN or infinite input.</summary>
        public static float Cos(float angleRadians)
        {
            float reduced = WrapToPi(angleRadians);
            float magnitude = reduced < 0f ? -reduced : reduced;
            // cos(a) = -cos(pi - a): fold (pi/2, pi] onto [0, pi/2).
            return magnitude > HalfPi ? -CosPolynomial(Pi - magnitude) : CosPolynomial(magnitude);
        }

        /// <summary>
        /// Wraps an angle into [-pi, pi]. Accurate to float rounding for |angle| up to 1e5 rad (some 16,000
        /// turns); beyond that, and for NaN or infinite input, NaN, so a diverging rollout is caught as non-finite
        /// instead of going on with a sine or cosine far outside [-1, 1].
        /// </summary>
        public static float WrapToPi(float angleRadians)
        {
            if (angleRadians >= -Pi && angleRadians <= Pi)
            {
                return angleRadians;
            }

            // One comparison pair catches NaN (fails both) and the infinities: the planner's rollouts come here on
            // every trigonometric call once the pole has passed the bottom, so the test is kept to a few IL instructions.
            if (!(angleRadians <= 1e5f && angleRadians >= -1e5f))
            {
                return float.NaN;
            }

            float turns = angleRadians * InverseTwoPi;
            int wholeTurns = (int)(turns >= 0f ? turns + 0.5f : turns - 0.5f);
            float reduced = (angleRadians - wholeTurns * TwoPiHigh) - wholeTurns * TwoPiLow;
            if (reduced > Pi)
            {
                reduced -= TwoPi;
            }
            else if (reduced < -Pi)
            {
                reduced += TwoPi;
            }

            return reduced;
        }

        /// <summary>Square root; NaN for negative or NaN input, +infinity for +infinity.</summary>
        public static float Sqrt(float value)
        {
            if (!(value > 0f))
            {
                return value == 0f ? 0f : float.NaN;
            }

            if (float.IsPositiveInfinity(value))
            {
                return value;
            }

            // Scale into [0.25, 1) by powers of 4, so sqrt scales by powers of 2.
            float scale = 1f;
            while (value >= 1f)
            {
                value *= 0.25f;
                scale *= 2f;
            }

            while (value < 0.25f)
            {
                value *= 4f;
                scale *= 0.5f;
            }

            // Linear first guess on [0.25, 1), then Newton: y <- (y + v / y) / 2 (quadratic convergence).
            float root = 0.41731f + 0.59016f * value;
            root = 0.5f * (root + value / root);
            root = 0.5f * (root + value / root);
            root = 0.5f * (root + value / root);
            return root * scale;
        }

        /// <summary>e raised to <paramref name="value"/>; 0 below -103, +infinity above 88.7, NaN for NaN.</summary>
        public static float Exp(float value)
        {
            if (!(value <= 88.72f))
            {
                // NaN fails the comparison too, and stays NaN.
                return value > 88.72f ? float.PositiveInfinity : value;
            }

            if (value < -103.9f)
            {
                return 0f;
            }

            // exp(x) = 2^k exp(r), k = round(x / ln 2), |r| <= ln(2) / 2.
            float scaled = value * InverseLn2;
            int k = (int)(scaled >= 0f ? scaled + 0.5f : scaled - 0.5f);
            float r = (value - k * Ln2High) - k * Ln2Low;

            // Taylor series of exp(r) to degree 7 in Horner form; truncation error < 6e-9 for |r| <= 0.347.
            float result = 1f + r * (1f + r * (0.5f + r * (1f / 6f + r * (1f / 24f + r * (1f / 120f + r * (1f / 720f + r * (1f / 5040f)))))));
            return ScaleByPowerOfTwo(result, k);
        }

        /// <summary>Natural logarithm; -infinity for 0, NaN for negative or NaN input.</summary>
        public static float Log(float value)
        {
            if (!(value > 0f))
            {
                return value == 0f ? float.NegativeInfinity : float.NaN;
            }

            if (float.IsPositiveInfinity(value))
            {
                return value;
            }

            // value = m 2^e with m in [sqrt(1/2), sqrt(2)).
            int exponent = 0;
            while (value >= 1.41421356f)
            {
                value *= 0.5f;
                exponent++;
            }

            while (value < 0.70710678f)
            {
                value *= 2f;
                exponent--;
            }

            // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716 (series to s^9).
            float s = (value - 1f) / (value + 1f);
            float s2 = s * s;
            float series = s * (2f + s2 * (2f / 3f + s2 * (2f / 5f + s2 * (2f / 7f + s2 * (2f / 9f)))));
            return exponent * Ln2 + series;
        }

        /// <summary>Absolute value.</summary>
        public static float Abs(float value) => value < 0f ? -value : value;

        /// <summary>The larger of two values.</summary>
        public static float Max(float first, float second) => first > second ? first : second;

        /// <summary>Clamps <paramref name="value"/> to [<paramref name="min"/>, <paramref name="max"/>]; NaN stays NaN.</summary>
        public static float Clamp(float value, float min, float max)
        {
            if (value < min)
            {
                return min;
            }

            return value > max ? max : value;
        }

        /// <summary>True when <paramref name="value"/> is neither NaN nor infinite.</summary>
        public static bool IsFinite(float value) => !float.IsNaN(value) && !float.IsInfinity(value);

        // Odd Taylor polynomial to x^11 for |x| <= pi/2; truncation error < 6e-8 there.
        private static float SinPolynomial(float x)
        {
            float x2 = x * x;
            return x * (1f + x2 * (-1f / 6f + x2 * (1f / 120f + x2 * (-1f / 5040f + x2 * (1f / 362880f + x2 * (-1f / 39916800f))))));
        }

        // Even Taylor polynomial to x^12 for |x| <= pi/2; truncation error < 7e-9 there.
        private static float CosPolynomial(float x)
        {
            float x2 = x * x;
            return 1f + x2 * (-0.5f + x2 * (1f / 24f + x2 * (-1f / 720f + x2 * (1f / 40320f + x2 * (-1f / 3628800f + x2 * (1f / 479001600f))))));
        }

        // 2^k for k in [SmallestTableExponent, LargestTableExponent], all normal floats and exact: index k - SmallestTableExponent.
        private const int SmallestTableExponent = -125;
        private const int LargestTableExponent = 127;
        private static readonly float[] s_powersOfTwo = PowersOfTwo();

        // An explicit static constructor makes the type's initialization precise: the table above is built at the
        // first use of any FloatMath member (model and policy construction), not at the first Exp, which comes in
        // a control tick and would allocate there.
        static FloatMath()
        {
        }

        private static float[] PowersOfTwo()
        {
            var powers = new float[LargestTableExponent - SmallestTableExponent + 1];
            float power = 1f;
            for (int k = 0; k <= LargestTableExponent; k++)
            {
                powers[k - SmallestTableExponent] = power;
                power *= 2f;
            }

            power = 1f;
            for (int k = 0; k >= SmallestTableExponent; k--)
            {
                powers[k - SmallestTableExponent] = power;
                power *= 0.5f;
            }

            return powers;
        }

        /// <summary>
        /// value 2^exponent for value in [0.7, 1.42] (Exp's reduced result). Within the table one multiplication by an
        /// exact power of two: the result is a normal float, so it equals the repeated doubling or halving bit for bit,
        /// at a handful of IL instructions instead of some eight per power (the dm_control reward's exponentials reach
        /// 2^-100 and below on a swing-up, every model step). Outside it (a subnormal or overflowing result) the
        /// step-by-step loop keeps the rounding of each step.
        /// </summary>
        private static float ScaleByPowerOfTwo(float value, int exponent)
        {
            if (exponent >= SmallestTableExponent && exponent <= LargestTableExponent)
            {
                return value * s_powersOfTwo[exponent - SmallestTableExponent];
            }

            while (exponent > 0)
            {
                value *= 2f;
                exponent--;
            }

            while (exponent < 0)
            {
                value *= 0.5f;
                exponent++;
            }

            return value;
        }
    }
}
