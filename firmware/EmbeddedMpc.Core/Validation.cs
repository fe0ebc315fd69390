using System;

namespace EmbeddedMpc.Core
{
    /// <summary>
    /// Checks used by the settings classes when they are constructed. Each failure throws an
    /// <see cref="ArgumentException"/> whose message names the setting, the accepted range and the
    /// value that was given; <see cref="ArgumentException.ParamName"/> is the setting's name.
    /// Never called on the tick path.
    /// </summary>
    public static class Validation
    {
        /// <summary>Requires <paramref name="min"/> &lt;= value &lt;= <paramref name="max"/> and a finite value.</summary>
        public static void RequireInRange(float value, float min, float max, string name)
        {
            if (!(value >= min && value <= max) || float.IsNaN(value))
            {
                throw new ArgumentException(name + " must be a number in [" + min.ToString() + ", " + max.ToString() + "]; got " + value.ToString() + ".", name);
            }
        }

        /// <summary>Requires a finite value strictly greater than <paramref name="exclusiveMin"/> and at most <paramref name="max"/>.</summary>
        public static void RequireAbove(float value, float exclusiveMin, float max, string name)
        {
            if (!(value > exclusiveMin && value <= max))
            {
                throw new ArgumentException(name + " must be a number in (" + exclusiveMin.ToString() + ", " + max.ToString() + "]; got " + value.ToString() + ".", name);
            }
        }

        /// <summary>Requires <paramref name="min"/> &lt;= value &lt;= <paramref name="max"/>.</summary>
        public static void RequireInRange(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                throw new ArgumentException(name + " must be an integer in [" + min.ToString() + ", " + max.ToString() + "]; got " + value.ToString() + ".", name);
            }
        }

        /// <summary>Requires a non-null reference.</summary>
        public static void RequireNotNull(object value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }
        }
    }
}
