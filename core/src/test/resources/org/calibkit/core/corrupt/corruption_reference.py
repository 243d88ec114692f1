#!/usr/bin/python3
"""Reference values for CorruptionReferenceTest, computed with numpy and scipy.ndimage only.

Written from the definitions the corruptions copy (google-research/mnist-c corruptions.py,
hendrycks/robustness make_cifar_c.py, skimage 0.15's warp/gaussian/canny, OpenCV's filter2D,
ImageMagick's MotionBlurImage), not from calibkit's Java code. Run:

    /usr/bin/python3 corruption_reference.py > corruption_reference.csv

Each line: a name, then the 12 x 10 output (row-major) on the 0..1 scale, 9 decimals.
The input image is the formula in image() (also in the Java test).
"""
import numpy as np
from scipy import ndimage as ndi

H, W = 12, 10


def image():
    r, c = np.mgrid[0:H, 0:W].astype(float)
    blob = np.clip(1.0 - ((r - 5.5) ** 2 / 9.0 + (c - 4.0) ** 2 / 6.0), 0, 1)
    bar = ((c == 7) & (r >= 2) & (r <= 9)) * 0.8
    return np.clip(blob + bar, 0, 1)


def warp_inverse(x, a1, a2, b1, b2):
    """skimage transform.warp with an AffineTransform inverse map about the centre, order 1, cval 0."""
    cx, cy = (W - 1) / 2.0, (H - 1) / 2.0
    a3 = cx - a1 * cx - a2 * cy
    b3 = cy - b1 * cx - b2 * cy
    rr, cc = np.mgrid[0:H, 0:W].astype(float)
    xin = a1 * cc + a2 * rr + a3
    yin = b1 * cc + b2 * rr + b3
    return ndi.map_coordinates(x, [yin, xin], order=1, mode='grid-constant', cval=0.0)


def canny(x, sigma):
    """skimage 0.15 feature.canny with its default float thresholds 0.1 / 0.2."""
    mask = np.ones(x.shape, bool)
    f = lambda v: ndi.gaussian_filter(v, sigma, mode='constant', cval=0.0, truncate=4.0)
    smoothed = f(x) / (f(mask.astype(float)) + np.finfo(float).eps)
    jsobel = ndi.sobel(smoothed, axis=1)
    isobel = ndi.sobel(smoothed, axis=0)
    ai, aj = np.abs(isobel), np.abs(jsobel)
    mag = np.hypot(isobel, jsobel)
    eroded = ndi.binary_erosion(mask, ndi.generate_binary_structure(2, 2), border_value=0) & (mag > 0)
    lm = np.zeros(x.shape, bool)

    def octant(pts, w, p1, p2, m1, m2):
        # p1, p2, m1, m2: (dr, dc) of the neighbours on the plus and minus side
        idx = np.argwhere(pts)
        for (i, j), ww in zip(idx, w[pts]):
            m = mag[i, j]
            cp = mag[i + p2[0], j + p2[1]] * ww + mag[i + p1[0], j + p1[1]] * (1 - ww) <= m
            cm = mag[i + m2[0], j + m2[1]] * ww + mag[i + m1[0], j + m1[1]] * (1 - ww) <= m
            lm[i, j] = cp and cm

    with np.errstate(divide='ignore', invalid='ignore'):
        same = ((isobel >= 0) & (jsobel >= 0)) | ((isobel <= 0) & (jsobel <= 0))
        opp = ((isobel <= 0) & (jsobel >= 0)) | ((isobel >= 0) & (jsobel <= 0))
        octant(eroded & same & (ai >= aj), aj / ai, (1, 0), (1, 1), (-1, 0), (-1, -1))
        octant(eroded & same & (ai <= aj), ai / aj, (0, 1), (1, 1), (0, -1), (-1, -1))
        octant(eroded & opp & (ai <= aj), ai / aj, (0, 1), (-1, 1), (0, -1), (1, -1))
        octant(eroded & opp & (ai >= aj), aj / ai, (-1, 0), (-1, 1), (1, 0), (1, -1))
    high = lm & (mag >= 0.2)
    low = lm & (mag >= 0.1)
    labels, count = ndi.label(low, np.ones((3, 3), bool))
    good = np.zeros(count + 1, bool)
    good[1:] = ndi.sum(high, labels, np.arange(count) + 1) > 0
    return good[labels].astype(float)


def disk(radius, alias_blur):
    L = np.arange(-8, 9)
    X, Y = np.meshgrid(L, L)
    d = ((X ** 2 + Y ** 2) <= radius ** 2).astype(float)
    d /= d.sum()
    t = np.arange(3) - 1.0
    g = np.exp(-t ** 2 / (2 * alias_blur ** 2))
    g /= g.sum()
    # cv2.GaussianBlur (3x3, BORDER_REFLECT_101 = scipy 'mirror')
    return ndi.correlate(d, np.outer(g, g), mode='mirror')


def motion_blur(x, radius, sigma, angle):
    width = int(2 * np.ceil(radius) + 1)
    k = np.exp(-(np.arange(width) ** 2) / (2 * sigma ** 2))
    k /= k.sum()
    a = np.deg2rad(angle)
    out = np.zeros_like(x)
    for i in range(width):
        ox = int(np.ceil(i * np.cos(a) - 0.5))
        oy = int(np.ceil(i * np.sin(a) - 0.5))
        rr = np.clip(np.arange(H) + oy, 0, H - 1)
        cc = np.clip(np.arange(W) + ox, 0, W - 1)
        out += k[i] * x[np.ix_(rr, cc)]
    return np.round(np.clip(out, 0, 1) * 255) / 255


def box_axis(x, out_size, axis):
    """Pillow's precompute_coeffs with the box filter along one axis, rounded to 8 bits."""
    in_size = x.shape[axis]
    scale = in_size / out_size
    fs = max(scale, 1.0)
    support = 0.5 * fs
    out = []
    for o in range(out_size):
        centre = (o + 0.5) * scale
        lo = max(int(centre - support + 0.5), 0)
        hi = min(int(centre + support + 0.5), in_size)
        t = (np.arange(lo, hi) - centre + 0.5) / fs
        w = ((t > -0.5) & (t <= 0.5)).astype(float)
        w /= w.sum()
        v = np.tensordot(np.take(x, np.arange(lo, hi), axis=axis), w, axes=([axis], [0]))
        out.append(np.floor(np.clip(v, 0, 1) * 255 + 0.5) / 255)
    return np.stack(out, axis=axis)


def pixelate(x, c):
    q = np.rint(np.clip(x, 0, 1) * 255) / 255
    small = box_axis(box_axis(q, int(W * c), 1), int(H * c), 0)
    return box_axis(box_axis(small, W, 1), H, 0)


x = image()
rows = {
    'rotate+0.4': warp_inverse(x, np.cos(0.4), -np.sin(0.4), np.sin(0.4), np.cos(0.4)),
    'rotate-0.4': warp_inverse(x, np.cos(-0.4), -np.sin(-0.4), np.sin(-0.4), np.cos(-0.4)),
    'shear+0.4': warp_inverse(x, 1.0, -np.sin(0.4), 0.0, np.cos(0.4)),
    'scale0.7': warp_inverse(x, 1 / 0.7, 0.0, 0.0, 1 / 0.7),
    'gaussian-rows0.7-nearest': ndi.gaussian_filter(x, (0.7, 0), mode='nearest', truncate=4.0),
    'gaussian1.5-nearest': ndi.gaussian_filter(x, 1.5, mode='nearest', truncate=4.0),
    'canny1': canny(x, 1.0),
    'defocus1-0.2': ndi.correlate(x, disk(1, 0.2), mode='mirror'),
    'defocus1.5-0.1': ndi.correlate(x, disk(1.5, 0.1), mode='mirror'),
    'motion10-3-20deg': motion_blur(x, 10, 3, 20.0),
    'brightness0.5': np.clip(x + 0.5, 0, 1),
    'contrast0.3': np.clip((x - x.mean()) * 0.3 + x.mean(), 0, 1),
    'pixelate0.65': pixelate(x, 0.65),
}
for name, v in rows.items():
    print(name + ',' + ','.join('%.9f' % t for t in np.asarray(v).ravel()))
