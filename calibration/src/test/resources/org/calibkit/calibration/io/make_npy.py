# Makes the small .npy fixtures of PredictionFilesTest with NumPy's own writer (np.save).
# Run in this directory: /usr/bin/python3 make_npy.py   (Debian numpy 1.24.2)
import numpy as np

logits = np.array([[1.5, -2.25, 0.0, 3.0],
                   [0.125, 0.5, -0.75, 2.0],
                   [-1.0, 4.5, 1.25, -3.5]])
np.save("logits_f4_le.npy", logits.astype("<f4"))
np.save("logits_f8_be.npy", logits.astype(">f8"))
np.save("logits_fortran.npy", np.asfortranarray(logits))
np.save("labels_i4_le.npy", np.array([3, 1, 1], dtype="<i4"))
np.save("labels_i8_be.npy", np.array([3, 1, 1], dtype=">i8"))
np.save("labels_2d_f4.npy", np.zeros((10, 2), dtype="<f4"))
probs = np.array([[0.25, 0.25, 0.5], [0.0, 1.0, 0.0]])
np.save("probs_f8_le.npy", probs)
