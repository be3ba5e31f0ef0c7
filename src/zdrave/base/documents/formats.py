"""The file formats a medical upload may have (by detected MIME type) and their extensions.
``validation`` decides what a file is; the models name a download by it."""

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"
PNG = "image/png"
DICOM = "application/dicom"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", JPEG: "jpg", PNG: "png", DICOM: "dcm"}
LABELS = {PDF: "PDF", DOCX: "DOCX", JPEG: "JPEG", PNG: "PNG", DICOM: "DICOM"}
NAME_EXTENSIONS = {
    "pdf": PDF,
    "docx": DOCX,
    "jpg": JPEG,
    "jpeg": JPEG,
    "jpe": JPEG,
    "png": PNG,
    "dcm": DICOM,
    "dicom": DICOM,
}
