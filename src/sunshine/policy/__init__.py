"""Policy disclosure (政策文件与解读, 回应关切): policy documents with their interpretations, and questions
from the public answered and published by the disclosure office."""
