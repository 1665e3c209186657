// BF16 conversions shared by the kernel families: a bf16 travels as ushort, the upper half of a float.

float k4j_bf16_to_float(ushort bits) { return as_float((uint) bits << 16); }

ushort k4j_float_to_bf16(float value) {
    uint bits = as_uint(value);
    if (isnan(value)) {
        return (ushort) ((bits >> 16) | 0x40);  // stays a (quiet) NaN after truncation
    }
    bits += 0x7fff + ((bits >> 16) & 1);     // round to nearest, ties to even
    return (ushort) (bits >> 16);
}
