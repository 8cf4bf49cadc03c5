"""Official letters per ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ: settings, the register, what each letter says.

``settings`` holds the admin's letter prefix, address and signatories; ``register`` takes and voids
numbers (ทะเบียนหนังสือส่ง); ``compose`` builds each letter's parts as data for app/documents/letters.py.
"""
