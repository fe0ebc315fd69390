namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// The warm-start shift of the trajectory layer: moves a plan of knots earlier in time by a
    /// (possibly fractional) number of knots, interpolating linearly, and fills what falls off the end.
    /// Used by <see cref="RecedingHorizonController"/> for the plan and by optimizers that carry
    /// samples (elites) from one tick to the next. Allocates nothing.
    /// </summary>
    public static class PlanShift
    {
        /// <summary>
        /// values[offset + k] becomes the plan's value at knot k + <paramref name="knots"/> (linear
        /// interpolation), or <paramref name="fill"/> beyond the last knot.
        /// </summary>
        public static void Shift(float[] values, int offset, int length, float knots, float fill)
        {
            for (int k = 0; k < length; k++)
            {
                float position = k + knots;
                int index = (int)position;
                if (index >= length - 1)
                {
                    // The last knot and beyond: past the end of the old plan.
                    values[offset + k] = index == length - 1 && position == index ? values[offset + index] : fill;
                    continue;
                }

                float fraction = position - index;
                float low = values[offset + index];
                values[offset + k] = low + fraction * (values[offset + index + 1] - low);
            }
        }
    }
}
